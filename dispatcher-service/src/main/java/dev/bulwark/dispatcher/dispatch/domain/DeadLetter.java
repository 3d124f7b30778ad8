package dev.bulwark.dispatcher.dispatch.domain;

/**
 * What the error topic is told about a record that could not be handled: the message without its secrets, the
 * handler that was chosen ({@code null} when none), why it failed (already scrubbed of the message's secrets) and
 * after how many attempts (0 when it was rejected before any).
 */
public record DeadLetter(SecretRedactor.Redacted original, String handler, String reason, int attempts) {
}
