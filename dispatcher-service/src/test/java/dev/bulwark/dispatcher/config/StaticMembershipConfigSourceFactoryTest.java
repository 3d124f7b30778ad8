package dev.bulwark.dispatcher.config;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StaticMembershipConfigSourceFactoryTest {

    /** What a Quarkus build records as a default: the factory's value on the build machine. */
    private static final String BUILD_TIME_DEFAULT = "build-host";

    @Test
    void theConfiguredInstanceIdWins() {
        assertThat(instanceId(Map.of("bulwark.dispatcher.group-instance-id", "dispatcher-0", "HOSTNAME", "pod-x")),
                equalTo(Optional.of("dispatcher-0")));
    }

    @Test
    void otherwiseThePodNameIsTheInstanceId() {
        assertThat(instanceId(Map.of("HOSTNAME", "bulwark-dispatcher-7d9f-abcde")),
                equalTo(Optional.of("bulwark-dispatcher-7d9f-abcde")));
    }

    @Test
    void switchedOffTheConsumerHasNoInstanceIdNotEvenTheBuildMachines() {
        assertThat(instanceId(Map.of("bulwark.dispatcher.static-membership", "false", "HOSTNAME", "pod-x"))
                .isPresent(), is(false));
    }

    private static Optional<String> instanceId(Map<String, String> given) {
        Map<String, String> defaults = new HashMap<>();
        defaults.put(StaticMembershipConfigSourceFactory.INSTANCE_ID, BUILD_TIME_DEFAULT);
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(defaults, "recorded-defaults", 0))
                .withSources(new PropertiesConfigSource(given, "given", 300))
                .withSources(new StaticMembershipConfigSourceFactory())
                .build();
        return config.getOptionalValue(StaticMembershipConfigSourceFactory.INSTANCE_ID, String.class);
    }
}
