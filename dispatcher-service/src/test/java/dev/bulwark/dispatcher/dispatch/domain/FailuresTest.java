package dev.bulwark.dispatcher.dispatch.domain;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import dev.bulwark.common.error.Invalid;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.net.ConnectException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.junit.jupiter.api.Test;

class FailuresTest {

    @Test
    void serverErrorsTooManyRequestsAndUnreachableTargetsAreTransient() {
        assertThat(Failures.classify(new WebApplicationException(503)).retryable(), is(true));
        assertThat(Failures.classify(new WebApplicationException(429)).retryable(), is(true));
        assertThat(Failures.classify(new ProcessingException(new ConnectException("refused"))).retryable(), is(true));
        assertThat(Failures.classify(new RetryableFailure("later", null, null)).retryable(), is(true));
        assertThat(Failures.classify(new IllegalStateException("Redis", new ConnectException("refused"))).retryable(),
                is(true));
        assertThat(Failures.classify(new ExecutionException(new NotLeaderOrFollowerException("moved"))).retryable(),
                is(true));
    }

    @Test
    void clientErrorsAndInvalidMessagesArePermanent() {
        assertThat(Failures.classify(new WebApplicationException(400)).retryable(), is(false));
        assertThat(Failures.classify(new WebApplicationException(404)).retryable(), is(false));
        assertThat(Failures.classify(new Invalid("no match")).retryable(), is(false));
        assertThat(Failures.classify(new IllegalStateException("bug")).retryable(), is(false));
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
        assertThat(Failures.classify(new WebApplicationException(Response.status(429).header("Retry-After", "7")
                .build())).retryAfter(), equalTo(Optional.of(Duration.ofSeconds(7))));
        String inTenSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(10));
        assertThat(Failures.retryAfter(inTenSeconds).orElseThrow(),
                both(greaterThan(Duration.ofSeconds(5))).and(lessThanOrEqualTo(Duration.ofSeconds(10))));
        assertThat(Failures.retryAfter("soon"), equalTo(Optional.empty()));
    }
}
