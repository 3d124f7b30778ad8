package dev.bulwark.worker.queue;

/** {@code POST /api/v1/tasks/{taskId}/heartbeat}: renews the lease of that attempt. */
public record Heartbeat(int attempt) {
}
