package dev.bulwark.common.egress;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The configured {@link EgressPolicy}; an invalid allow-list entry fails the start, not the first call. */
@ApplicationScoped
public class EgressPolicyProducer {

    @Produces
    @Singleton
    EgressPolicy policy(EgressConfig config) {
        EgressRules deployment = new EgressRules(config.allowHosts().orElse(List.of()),
                config.allowCidrs().orElse(List.of()), config.ports().orElse(List.of()));
        Map<String, EgressRules> organisations = new HashMap<>();
        config.org().forEach((id, rules) -> organisations.put(id, new EgressRules(
                rules.allowHosts().orElse(List.of()), rules.allowCidrs().orElse(List.of()), List.of())));
        organisations.values().forEach(rules -> rules.allowCidrs().forEach(Cidr::parse));
        return new EgressPolicy(deployment, organisations, config.maxRedirects(), config.maxBody().asLongValue());
    }
}
