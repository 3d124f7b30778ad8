package dev.bulwark.worker.task.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.bulwark.common.security.ClientCredentialsToken;
import dev.bulwark.common.tasks.ClaimedTask;
import dev.bulwark.common.tasks.TaskResult;
import dev.bulwark.common.tasks.TaskResults;
import dev.bulwark.common.tasks.TaskResultsResponse;
import dev.bulwark.common.tasks.TaskResultsResponse.Outcome;
import dev.bulwark.worker.action.domain.ActionResult;
import dev.bulwark.worker.action.domain.RunControl;
import dev.bulwark.worker.task.messaging.Unreachable;
import dev.bulwark.worker.task.messaging.WorkflowQueue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Results of tasks that end while a call is in flight go together in the next call; each caller waits for its own. */
class ResultReporterTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** Records the calls; the first one waits for {@code release}; the first {@code failures} calls fail. */
    private static final class RecordingQueue extends WorkflowQueue {
        final List<List<UUID>> calls = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch firstCall = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        int failures;

        RecordingQueue() {
            super(new ClientCredentialsToken(URI.create("http://127.0.0.1:9"), "agent", "secret", Duration.ofSeconds(30),
                    Duration.ofSeconds(3), Duration.ofSeconds(10)), URI.create("http://127.0.0.1:9"),
                    Duration.ofSeconds(5), new ObjectMapper());
        }

        @Override
        public List<Outcome> results(List<TaskResults.Item> results) throws Unreachable, InterruptedException {
            calls.add(results.stream().map(TaskResults.Item::taskId).toList());
            firstCall.countDown();
            if (!release.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
            synchronized (this) {
                if (failures > 0) {
                    failures--;
                    throw new Unreachable("HTTP 503");
                }
            }
            return results.stream().map(item -> new Outcome(item.taskId(), item.result().attempt(),
                    TaskResultsResponse.Outcome.Status.RECORDED, null)).toList();
        }
    }

    @Test
    void resultsThatEndWhileACallIsInFlightGoTogetherInTheNext() throws Exception {
        RecordingQueue queue = new RecordingQueue();
        ResultReporter reporter = new ResultReporter(queue, new AgentMetrics(registry), Duration.ofSeconds(30));
        ClaimedTask first = task();
        Thread one = report(reporter, first);
        assertThat(queue.firstCall.await(30, TimeUnit.SECONDS)).isTrue();
        ClaimedTask second = task();
        ClaimedTask third = task();
        Thread two = report(reporter, second);
        Thread three = report(reporter, third);
        await().atMost(Duration.ofSeconds(30)).until(() -> two.getState() == Thread.State.WAITING
                && three.getState() == Thread.State.WAITING);

        queue.release.countDown();
        for (Thread thread : List.of(one, two, three)) {
            thread.join(30_000);
            assertThat(thread.isAlive()).isFalse();
        }

        assertThat(queue.calls).hasSize(2);
        assertThat(queue.calls.get(0)).containsExactly(first.taskId());
        assertThat(queue.calls.get(1)).containsExactlyInAnyOrder(second.taskId(), third.taskId());
        assertThat(registry.find("bulwark.worker.result.latency").timer().count()).isEqualTo(3);
    }

    @Test
    void aFailedCallIsRetriedWithEveryResultInIt() throws Exception {
        RecordingQueue queue = new RecordingQueue();
        queue.failures = 2;
        queue.release.countDown();
        ResultReporter reporter = new ResultReporter(queue, new AgentMetrics(registry), Duration.ofSeconds(30));
        ClaimedTask task = task();
        Thread one = report(reporter, task);
        one.join(30_000);

        assertThat(one.isAlive()).isFalse();
        assertThat(queue.calls).hasSize(3).allSatisfy(call -> assertThat(call).containsExactly(task.taskId()));
        assertThat(registry.find("bulwark.worker.result.latency").timer().count()).isEqualTo(1);
    }

    private static ClaimedTask task() {
        return new ClaimedTask(UUID.randomUUID(), 1, UUID.randomUUID(), UUID.randomUUID(), "a", "tools", "echo", null,
                false, TextNode.valueOf("x"), null, 10, Instant.now().plusSeconds(60), null);
    }

    private static Thread report(ResultReporter reporter, ClaimedTask task) {
        Thread thread = new Thread(() -> reporter.report(task, new RunControl(Instant.now().plusSeconds(60)),
                Duration.ofSeconds(10), ActionResult.of(TextNode.valueOf("done")), null, Duration.ofMillis(1)));
        thread.start();
        return thread;
    }
}
