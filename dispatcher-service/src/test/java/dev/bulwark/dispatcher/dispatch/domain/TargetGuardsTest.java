package dev.bulwark.dispatcher.dispatch.domain;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bulwark.dispatcher.config.DispatcherConfig;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.ws.rs.WebApplicationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.junit.jupiter.api.Test;

/** A target's breaker opens on transient failures only: a run of 400s says nothing about the target's health. */
@QuarkusTest
class TargetGuardsTest {

    @Test
    void transientFailuresOpenTheBreakerAndThenCallsAreRefusedWithoutReachingTheTarget() {
        Guard guard = TargetGuards.circuitBreaker("test-down", smallBreaker());
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 4; i++) {
            assertThrows(WebApplicationException.class, () -> guard.call(() -> {
                calls.incrementAndGet();
                throw new WebApplicationException(503);
            }, Object.class));
        }
        assertThrows(CircuitBreakerOpenException.class, () -> guard.call(() -> calls.incrementAndGet(), Integer.class));
        assertThat(calls.get(), equalTo(4));
    }

    @Test
    void permanentFailuresLeaveTheBreakerClosed() throws Exception {
        Guard guard = TargetGuards.circuitBreaker("test-picky", smallBreaker());
        for (int i = 0; i < 8; i++) {
            assertThrows(WebApplicationException.class, () -> guard.call(() -> {
                throw new WebApplicationException(400);
            }, Object.class));
        }
        assertThat(guard.call(() -> "reached", String.class), equalTo("reached"));
    }

    private static DispatcherConfig.CircuitBreaker smallBreaker() {
        return new DispatcherConfig.CircuitBreaker() {
            @Override
            public int requestVolumeThreshold() {
                return 4;
            }

            @Override
            public double failureRatio() {
                return 0.5;
            }

            @Override
            public java.time.Duration delay() {
                return java.time.Duration.ofSeconds(10);
            }
        };
    }
}
