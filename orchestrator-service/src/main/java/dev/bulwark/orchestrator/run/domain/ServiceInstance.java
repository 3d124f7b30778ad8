package dev.bulwark.orchestrator.run.domain;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

/** This process among the service's instances: the owner name of the runs it holds, new at every start. */
@ApplicationScoped
public class ServiceInstance {

    private final String id = host() + "/" + UUID.randomUUID().toString().substring(0, 8);

    public String id() {
        return id;
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
