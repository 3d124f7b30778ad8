package dev.bulwark.worker.queue;

/** {@code POST /api/v1/queue/claim}: up to {@code max} tasks of {@code environment}, waiting up to {@code waitSeconds}. */
public record ClaimRequest(String environment, int max, int waitSeconds) {
}
