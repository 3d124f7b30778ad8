package dev.bulwark.common.retry;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExponentialBackoffTest {

    @Test
    void theCeilingDoublesUpToTheCapAndThePauseStaysWithinItsUpperHalf() {
        Duration initial = Duration.ofMillis(100);
        Duration max = Duration.ofSeconds(1);
        long[] ceilings = {100, 200, 400, 800, 1000, 1000};
        for (int retry = 1; retry <= ceilings.length; retry++) {
            for (int draw = 0; draw < 200; draw++) {
                long pause = ExponentialBackoff.delay(initial, max, retry).toMillis();
                long ceiling = ceilings[retry - 1];
                assertTrue(pause >= ceiling / 2 && pause <= ceiling, "retry " + retry + ": " + pause + " ms");
            }
        }
    }

    @Test
    void hugeRetryCountsAndTinyInitialsStayInRange() {
        long pause = ExponentialBackoff.delay(Duration.ofMillis(250), Duration.ofMinutes(5), 10_000).toMillis();
        assertTrue(pause >= 150_000 && pause <= 300_000, pause + " ms");
        assertTrue(ExponentialBackoff.delay(Duration.ZERO, Duration.ZERO, 1).toMillis() <= 1);
    }
}
