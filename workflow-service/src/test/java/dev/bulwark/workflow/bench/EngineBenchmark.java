package dev.bulwark.workflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.common.tasks.ClaimedTask;
import dev.bulwark.common.tasks.TaskResult;
import dev.bulwark.common.tasks.TaskResults;
import dev.bulwark.common.tasks.TaskResultsResponse.Outcome;
import dev.bulwark.workflow.execution.domain.Execution;
import dev.bulwark.workflow.execution.domain.Executions;
import dev.bulwark.workflow.queue.domain.TaskQueue;
import dev.bulwark.workflow.testing.TestOrg;
import dev.bulwark.workflow.testing.TestWorkflows;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Run with {@code ./mvnw -B verify -pl workflow-service -Pbench}. Measures, on the same PostgreSQL in one run:
 * <ol>
 *   <li>the raw {@code FOR UPDATE SKIP LOCKED} claim-and-complete rate of a bare queue table (the baseline);</li>
 *   <li>executions per second of a 5-action built-in tools workflow run by the engine itself ({@code "runOn":
 *       "engine"}, the default outside tests), {@value #IN_FLIGHT} executions in flight, with latency percentiles
 *       (each execution is FINISHED when its execute call returns);</li>
 *   <li>the same workflow forced through the task queue ({@code "runOn": "agent"}) with one in-process claimer that
 *       "runs" each tool at once and reports the results of a claim in one call, as worker-agent does.</li>
 * </ol>
 */
@QuarkusTest
class EngineBenchmark {

    private static final int RAW_ROWS = 5000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private long claimNanos;
    private long resultNanos;
    private int claims;
    // Enough for several seconds of claims, so a burst of the machine's other load does not decide the result.
    private static final int EXECUTIONS = 1000;
    private static final int IN_ENGINE_EXECUTIONS = 2000;
    private static final int IN_FLIGHT = 4;

    @Inject
    DataSource dataSource;

    @Inject
    TaskQueue queue;

    @Inject
    Executions executions;

    @Test
    void measure() throws Exception {
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).strip();
        double raw = rawClaimRate();
        TestOrg org = TestOrg.create();
        InEngine inEngine = inEngineRate(org, TestWorkflows.save(org, runOn("engine")));
        double engine = engineRate(org, TestWorkflows.save(org, runOn("agent")));
        StringBuilder report = new StringBuilder();
        report.append(String.format("%n=== workflow-service benchmark (%d cores, %s) ===%n", Runtime.getRuntime()
                .availableProcessors(), System.getProperty("os.name")));
        report.append(String.format("raw SKIP LOCKED claim+complete: %.0f claims/s (%d rows, one claimer)%n", raw, RAW_ROWS));
        report.append(String.format("in-engine tools: %.1f executions/s = %.0f actions/s (%d executions of 5 actions, %d in flight),"
                + " p50 %.1f ms, p99 %.1f ms per execution%n", inEngine.rate(), inEngine.rate() * 5,
                IN_ENGINE_EXECUTIONS, IN_FLIGHT, inEngine.p50Millis(), inEngine.p99Millis()));
        report.append(String.format("ratio in-engine: actions/s ÷ raw claims/s = %.3f%n", inEngine.rate() * 5 / raw));
        report.append(String.format("through the queue: %.1f executions/s = %.0f tasks/s (%d executions of 5 actions, one "
                + "in-process claimer)%n", engine, engine * 5, EXECUTIONS));
        report.append(String.format("ratio through the queue: engine tasks/s ÷ raw claims/s = %.3f%n", engine * 5 / raw));
        report.append(String.format("queue time: %.1f ms per claim call (%.1f tasks each), %.1f ms per result (sent together,"
                + " as worker-agent does)%n%n", claimNanos / 1e6 / claims, EXECUTIONS * 5.0 / claims,
                resultNanos / 1e6 / (EXECUTIONS * 5)));
        report.append(String.format("load average before: %s; after: %s%n", loadBefore,
                Files.readString(Path.of("/proc/loadavg")).strip()));
        report.append(String.format("BENCH|engine|raw-claim|value=%.0f|unit=claims/s%n", raw));
        report.append(String.format("BENCH|engine|in-engine|value=%.1f|unit=exec/s|p50_ms=%.1f|p99_ms=%.1f|raw=raw-claim"
                + "|ratio=%.3f%n", inEngine.rate(), inEngine.p50Millis(), inEngine.p99Millis(), inEngine.rate() * 5 / raw));
        report.append(String.format("BENCH|engine|through-queue|value=%.1f|unit=exec/s|raw=raw-claim|ratio=%.3f%n", engine,
                engine * 5 / raw));
        System.out.print(report);
        Files.writeString(Path.of("target/engine-benchmark.txt"), report);
    }

    private record InEngine(double rate, double p50Millis, double p99Millis) {
    }

    private InEngine inEngineRate(TestOrg org, UUID workflow) throws Exception {
        JsonNode argument = JSON.valueToTree(Map.of("n", 1));
        for (int i = 0; i < 200; i++) {
            executions.execute(org.id, workflow, argument, 5, "manual");
        }
        long[] nanos = new long[IN_ENGINE_EXECUTIONS];
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(IN_FLIGHT);
        long start = System.nanoTime();
        List<Future<?>> runs = new ArrayList<>();
        for (int t = 0; t < IN_FLIGHT; t++) {
            runs.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < IN_ENGINE_EXECUTIONS; i = next.getAndIncrement()) {
                    long begin = System.nanoTime();
                    Executions.Started started = executions.execute(org.id, workflow, argument, 5, "manual");
                    nanos[i] = System.nanoTime() - begin;
                    assertThat(started.status()).isEqualTo(Execution.Status.FINISHED);
                }
            }));
        }
        for (Future<?> run : runs) {
            run.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        Arrays.sort(nanos);
        return new InEngine(IN_ENGINE_EXECUTIONS / seconds, nanos[nanos.length / 2] / 1e6,
                nanos[(int) (nanos.length * 0.99)] / 1e6);
    }

    private static String runOn(String where) {
        ObjectNode doc;
        try {
            doc = (ObjectNode) JSON.readTree(TestWorkflows.resource("five-steps.json"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        doc.put("name", doc.get("name").asText() + " on " + where);
        doc.get("actions").forEach(action -> ((ObjectNode) action).put("runOn", where));
        return doc.toString();
    }

    private double rawClaimRate() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("create temporary table bench_queue (id bigserial primary key, priority int not null, "
                    + "created_at timestamptz not null default clock_timestamp(), status text not null, "
                    + "lease_expires_at timestamptz)");
            s.execute("create index on bench_queue (priority desc, created_at) where status = 'QUEUED'");
            s.execute("insert into bench_queue (priority, status) select 5, 'QUEUED' from generate_series(1, "
                    + RAW_ROWS + ")");
            c.setAutoCommit(false);
            c.commit();
            long start = System.nanoTime();
            try (PreparedStatement claim = c.prepareStatement("""
                    with picked as (select id from bench_queue where status = 'QUEUED'
                                    order by priority desc, created_at limit 1 for update skip locked)
                    update bench_queue b set status = 'RUNNING', lease_expires_at = now() + interval '60 seconds'
                    from picked where b.id = picked.id returning b.id""");
                 PreparedStatement done = c.prepareStatement("update bench_queue set status = 'DONE' where id = ?")) {
                for (int i = 0; i < RAW_ROWS; i++) {
                    long id;
                    try (ResultSet rs = claim.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        id = rs.getLong(1);
                    }
                    c.commit();
                    done.setLong(1, id);
                    done.executeUpdate();
                    c.commit();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            c.setAutoCommit(true);
            s.execute("drop table bench_queue");
            return RAW_ROWS / seconds;
        }
    }

    private double engineRate(TestOrg org, UUID workflow) {
        for (int i = 0; i < 5; i++) {
            run(org, workflow, 10);
        }
        claimNanos = 0;
        resultNanos = 0;
        claims = 0;
        long start = System.nanoTime();
        run(org, workflow, EXECUTIONS);
        double seconds = (System.nanoTime() - start) / 1e9;
        return EXECUTIONS / seconds;
    }

    private void run(TestOrg org, UUID workflow, int count) {
        for (int i = 0; i < count; i++) {
            executions.execute(org.id, workflow, JSON.valueToTree(Map.of("n", i)), 5, "manual");
        }
        int done = 0;
        while (done < count * 5) {
            long claimStart = System.nanoTime();
            List<ClaimedTask> tasks = queue.claim(org.id, "default", 20, Duration.ofSeconds(5));
            claimNanos += System.nanoTime() - claimStart;
            claims++;
            assertThat(tasks).isNotEmpty();
            List<TaskResults.Item> results = new ArrayList<>();
            for (ClaimedTask task : tasks) {
                JsonNode p = task.parameters();
                JsonNode output = task.action().equals("set_values") ? p.get("values") : p.get("value");
                results.add(new TaskResults.Item(task.taskId(), new TaskResult(task.attempt(),
                        TaskResult.Status.SUCCESS, output, null, null)));
            }
            long resultStart = System.nanoTime();
            assertThat(queue.completeAll(org.id, results)).allMatch(o -> o.status() == Outcome.Status.RECORDED);
            resultNanos += System.nanoTime() - resultStart;
            done += tasks.size();
        }
        long unfinished = QuarkusTransaction.requiringNew().call(() -> Execution.count(
                "orgId = ?1 and status <> ?2", org.id, Execution.Status.FINISHED));
        assertThat(unfinished).isZero();
    }
}
