package dev.bulwark.worker.task.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void pausesDoubleWithJitterUpToTheMaximumAndResetToTheMinimum() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
        long[] ceilings = {100, 200, 400, 800, 1000, 1000, 1000};
        for (long ceiling : ceilings) {
            assertThat(backoff.next().toMillis()).isBetween(ceiling / 2, ceiling);
        }
        assertThat(backoff.failures()).isEqualTo(ceilings.length);
        backoff.reset();
        assertThat(backoff.failures()).isZero();
        assertThat(backoff.next().toMillis()).isBetween(50L, 100L);
    }
}
