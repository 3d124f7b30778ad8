package dev.bulwark.worker.identity.domain;

import dev.bulwark.worker.config.WorkerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

/**
 * Who this agent is: a stable name (configured, or the host name) and an instance id new at every start. Containers
 * carry both, so a restarted agent recognises — and removes — the containers its previous incarnation left behind.
 */
@ApplicationScoped
public class AgentIdentity {

    private final String name;
    private final String instance;

    @Inject
    AgentIdentity(WorkerConfig config) {
        this(config.name().orElseGet(AgentIdentity::hostName), UUID.randomUUID().toString());
    }

    public AgentIdentity(String name, String instance) {
        this.name = name;
        this.instance = instance;
    }

    public String name() {
        return name;
    }

    public String instance() {
        return instance;
    }

    private static String hostName() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "worker-agent";
        }
    }
}
