package dev.bulwark.backbone.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The environment keys a deployment (Helm chart, run.sh) sets to declare the dispatcher as a backbone client. */
class DeclaredClientsConfigTest {

    @Test
    void declaredClientsAreReadFromTheEnvironment() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(BackboneConfig.class)
                .withSources(new EnvConfigSource(Map.of(
                        "BULWARK_BACKBONE_DECLARED_CLIENTS__DISPATCHER__SUBJECT", "sa-dispatcher",
                        "BULWARK_BACKBONE_DECLARED_CLIENTS__DISPATCHER__PUBLISH", "soc.#,alerts.*.send"), 300))
                .build();

        BackboneConfig.DeclaredClient dispatcher = config.getConfigMapping(BackboneConfig.class).declaredClients()
                .get("dispatcher");

        assertEquals("sa-dispatcher", dispatcher.subject());
        assertEquals(Optional.of(List.of("soc.#", "alerts.*.send")), dispatcher.publish());
        assertEquals(Optional.empty(), dispatcher.subscriptions());
        assertEquals(Optional.empty(), dispatcher.organisation());
        assertFalse(dispatcher.broadcast());
    }

    @Test
    void noDeclarationMeansNoDeclaredClient() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(BackboneConfig.class).build();
        assertTrue(config.getConfigMapping(BackboneConfig.class).declaredClients().isEmpty());
    }
}
