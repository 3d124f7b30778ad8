package dev.bulwark.workflow.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The queue is a one-way boundary (docs/architecture.md): executions import the queue, the queue reports ended tasks
 * through its own {@code TaskOwner} interface and imports nothing of executions.
 */
class QueueBoundaryTest {

    private static final Path QUEUE = Path.of("src/main/java/dev/bulwark/workflow/queue");

    @Test
    void theQueueImportsNothingOfExecutions() throws IOException {
        List<String> upward;
        try (Stream<Path> files = Files.walk(QUEUE)) {
            upward = files.filter(f -> f.toString().endsWith(".java")).flatMap(QueueBoundaryTest::lines)
                    .filter(line -> line.matches(".*: import (static )?dev\\.bulwark\\.workflow\\.execution\\..*"))
                    .toList();
        }
        assertThat(QUEUE).isDirectory();
        assertThat(upward).isEmpty();
    }

    private static Stream<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream().map(line -> file.getFileName() + ": " + line);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
