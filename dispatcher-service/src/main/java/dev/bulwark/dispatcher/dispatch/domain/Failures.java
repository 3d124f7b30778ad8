package dev.bulwark.dispatcher.dispatch.domain;

import dev.bulwark.common.error.ProblemException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.RetriableException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/** Tells transient failures (worth retrying) from permanent ones, and reads a target's {@code Retry-After}. */
public final class Failures {

    private static final int MAX_REASON = 1000;

    private Failures() {
    }

    /** What went wrong, whether trying again may help, and after how long the target asked us to wait. */
    public record Verdict(String reason, boolean retryable, Optional<Duration> retryAfter) {
    }

    public static Verdict classify(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof RetryableFailure r) {
            return new Verdict(r.getMessage(), true, r.retryAfter());
        }
        if (t instanceof ProblemException p) {
            return new Verdict(p.getMessage(), p.retryable(), Optional.empty());
        }
        if (t instanceof WebApplicationException w) {
            Response response = w.getResponse();
            boolean retryable = isTransient(w);
            String reason = "HTTP " + response.getStatus() + " from target" + body(response);
            return new Verdict(reason, retryable,
                    retryable ? retryAfter(response.getHeaderString(HttpHeaders.RETRY_AFTER)) : Optional.empty());
        }
        if (t instanceof CircuitBreakerOpenException) {
            return new Verdict("Circuit breaker of the target is open", true, Optional.empty());
        }
        if (t instanceof SdkServiceException s) {
            return new Verdict("S3 answered " + s.statusCode() + ": " + s.getMessage(), s.statusCode() >= 500
                    || s.statusCode() == 429, Optional.empty());
        }
        if (t instanceof SdkClientException || t instanceof ProcessingException || causedByTransport(t)) {
            return new Verdict("Target unreachable: " + describe(t), true, Optional.empty());
        }
        return new Verdict("Unexpected failure: " + describe(t), false, Optional.empty());
    }

    /** Whether a failure says nothing against the request itself: what a circuit breaker counts. */
    public static boolean isTransient(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof WebApplicationException w) {
            int status = w.getResponse().getStatus();
            return status == 429 || status == 408 || status >= 500;
        }
        if (t instanceof ProblemException p) {
            return p.retryable();
        }
        return t instanceof ProcessingException || causedByTransport(t);
    }

    /** Network trouble anywhere in the chain: a broken connection to Redis or Kafka is as transient as to a target. */
    private static boolean causedByTransport(Throwable t) {
        for (Throwable cause = t; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof IOException || cause instanceof TimeoutException
                    || cause instanceof RetriableException) {
                return true;
            }
        }
        return false;
    }

    /** {@code Retry-After} as delay-seconds or an HTTP date. */
    static Optional<Duration> retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.trim();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value))));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(Instant.now(), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }

    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof CompletionException || current instanceof ExecutionException
                || (current instanceof ProcessingException && current.getCause() instanceof WebApplicationException))
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    private static String body(Response response) {
        try {
            if (!response.hasEntity()) {
                return "";
            }
            String body = response.readEntity(String.class);
            return body == null || body.isBlank() ? "" : ": " + truncate(body);
        } catch (RuntimeException unreadable) {
            return "";
        }
    }

    private static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return truncate(message);
    }

    private static String truncate(String text) {
        return text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON) + "…";
    }
}
