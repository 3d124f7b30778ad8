package dev.bulwark.dispatcher.dispatch.domain;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import dev.bulwark.dispatcher.config.DispatcherConfig;
import io.smallrye.config.WithDefault;
import java.lang.reflect.Proxy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    /**
     * Found by the fault suite (deploy/local/faults.sh): with 5 attempts (under 8 s of backoff) a PostgreSQL or
     * RabbitMQ restart behind the backbone (about 90 s on a loaded machine) dead-lettered accepted send_message
     * records. The default retries must outlast two minutes of a target being away, whatever the jitter draws.
     */
    @Test
    void theDefaultRetriesOutlastTwoMinutesOfATargetBeingAway() {
        Backoff backoff = new Backoff(defaults());
        Duration waited = Duration.ZERO;
        for (int attempt = 1; backoff.allowsAnother(attempt); attempt++) {
            waited = waited.plus(backoff.delay(attempt, Duration.ZERO));
        }
        assertThat(waited, greaterThanOrEqualTo(Duration.ofMinutes(2)));
    }

    /** The configuration's own defaults (its {@code @WithDefault} values), as a service without overrides has them. */
    private static DispatcherConfig.Retry defaults() {
        return (DispatcherConfig.Retry) Proxy.newProxyInstance(BackoffTest.class.getClassLoader(),
                new Class<?>[] {DispatcherConfig.Retry.class}, (proxy, method, args) -> {
                    String value = method.getAnnotation(WithDefault.class).value();
                    return method.getReturnType() == int.class ? Integer.valueOf(value) : Duration.parse(value);
                });
    }
}
