package dev.bulwark.workflow.identity.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Duration CAP = Duration.ofMinutes(15);

    @Test
    void delaysStartAfterTheFreeFailuresDoubleAndAreCapped() {
        assertThat(LoginThrottle.delayAfter(3, 3, SECOND, CAP)).isZero();
        assertThat(LoginThrottle.delayAfter(4, 3, SECOND, CAP)).isEqualTo(SECOND);
        assertThat(LoginThrottle.delayAfter(5, 3, SECOND, CAP)).isEqualTo(Duration.ofSeconds(2));
        assertThat(LoginThrottle.delayAfter(8, 3, SECOND, CAP)).isEqualTo(Duration.ofSeconds(16));
        assertThat(LoginThrottle.delayAfter(13, 3, SECOND, CAP)).isEqualTo(Duration.ofSeconds(512));
        assertThat(LoginThrottle.delayAfter(14, 3, SECOND, CAP)).isEqualTo(CAP);
        assertThat(LoginThrottle.delayAfter(Integer.MAX_VALUE, 3, SECOND, CAP)).isEqualTo(CAP);
    }

    @Test
    void ipv6SourcesCountByTheirSlash64AndHostNamesAreNeverLookedUp() {
        assertThat(LoginThrottle.network("2001:db8:1:2:aaaa:bbbb:cccc:dddd"))
                .isEqualTo(LoginThrottle.network("2001:db8:1:2::1")).endsWith("/64");
        assertThat(LoginThrottle.network("203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(LoginThrottle.network("example.org")).isEqualTo("unknown");
    }
}
