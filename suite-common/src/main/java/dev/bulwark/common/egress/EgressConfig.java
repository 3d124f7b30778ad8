package dev.bulwark.common.egress;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code bulwark.egress.*}: the deployment's allow-lists, per-organisation allow-lists and the outbound limits. */
@ConfigMapping(prefix = "bulwark.egress")
public interface EgressConfig {

    /** Host names allowed although they resolve to internal addresses: exact, {@code *.suffix}, optional {@code :port}. */
    Optional<List<String>> allowHosts();

    /** Address ranges allowed although internal, e.g. {@code 10.20.0.0/16}. */
    Optional<List<String>> allowCidrs();

    /** When set, the only ports any destination may use. */
    Optional<List<Integer>> ports();

    /** Redirects followed at most, each hop checked again. */
    @WithDefault("5")
    int maxRedirects();

    /** Largest response body read. */
    @WithDefault("10M")
    MemorySize maxBody();

    /** Extra allow-lists of one organisation, keyed by organisation id. */
    Map<String, Organisation> org();

    interface Organisation {
        Optional<List<String>> allowHosts();

        Optional<List<String>> allowCidrs();
    }
}
