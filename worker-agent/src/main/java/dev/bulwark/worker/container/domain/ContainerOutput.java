package dev.bulwark.worker.container.domain;

import com.github.dockerjava.api.model.Frame;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** stdout and stderr of a container, each capped. */
final class ContainerOutput {

    private final int cap;
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private boolean stdoutTruncated;
    private boolean stderrTruncated;

    ContainerOutput(int cap) {
        this.cap = cap;
    }

    synchronized void add(Frame frame) {
        switch (frame.getStreamType()) {
            case STDOUT, RAW -> stdoutTruncated |= append(stdout, frame.getPayload());
            case STDERR -> stderrTruncated |= append(stderr, frame.getPayload());
            default -> { }
        }
    }

    private boolean append(ByteArrayOutputStream target, byte[] payload) {
        int room = cap - target.size();
        target.write(payload, 0, Math.max(0, Math.min(room, payload.length)));
        return payload.length > room;
    }

    synchronized boolean stdoutTruncated() {
        return stdoutTruncated;
    }

    synchronized String stdout() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    synchronized String stderr() {
        return stderr.toString(StandardCharsets.UTF_8) + (stderrTruncated ? "\n[log truncated]" : "");
    }
}
