package dev.bulwark.dispatcher.dispatch.domain;

import dev.bulwark.dispatcher.config.DispatcherConfig;
import io.quarkus.logging.Log;
import io.smallrye.faulttolerance.api.Guard;
import java.time.temporal.ChronoUnit;

/** One circuit breaker per REST target, counting only transient failures (a 400 says nothing about health). */
public final class TargetGuards {

    private TargetGuards() {
    }

    public static Guard circuitBreaker(String target, DispatcherConfig.CircuitBreaker config) {
        return Guard.create()
                .withCircuitBreaker()
                .name(target)
                .when(Failures::isTransient)
                .requestVolumeThreshold(config.requestVolumeThreshold())
                .failureRatio(config.failureRatio())
                .delay(config.delay().toMillis(), ChronoUnit.MILLIS)
                .onStateChange(state -> Log.infof("Circuit breaker of %s is now %s", target, state))
                .done()
                .build();
    }
}
