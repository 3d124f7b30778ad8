package dev.bulwark.workflow.queue.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.common.error.Conflict;
import dev.bulwark.common.error.NotFound;
import dev.bulwark.common.tasks.ClaimedTask;
import dev.bulwark.common.tasks.TaskResult;
import dev.bulwark.common.tasks.TaskResults;
import dev.bulwark.common.tasks.TaskResultsResponse.Outcome;
import dev.bulwark.workflow.app.domain.AppCatalog;
import dev.bulwark.workflow.app.domain.AppDefinition;
import dev.bulwark.workflow.app.domain.BuiltinApps;
import dev.bulwark.workflow.app.domain.HttpCalls;
import dev.bulwark.workflow.config.EngineConfig;
import dev.bulwark.workflow.credential.domain.Credential;
import dev.bulwark.workflow.credential.domain.CredentialStore;
import dev.bulwark.workflow.limits.domain.LimitExceeded;
import dev.bulwark.workflow.limits.domain.Outputs;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.hibernate.Session;

/**
 * The agents' side of the execution model: claim tasks with a lease ({@code FOR UPDATE SKIP LOCKED}, highest
 * priority first, then oldest), renew the lease, report results (idempotent by task id and attempt).
 */
@ApplicationScoped
public class TaskQueue {

    private static final String CLAIM = """
            with picked as (
                select id from task
                where org_id = ? and environment = ? and status = 'QUEUED'
                order by priority desc, created_at
                limit ?
                for update skip locked)
            update task t set status = 'RUNNING', attempt = t.attempt + 1,
                lease_expires_at = now() + make_interval(secs => ?), started_at = coalesce(t.started_at, now())
            from picked, execution e where t.id = picked.id and e.id = t.execution_id
            returning t.id, t.attempt, t.execution_id, t.action_id, t.app, t.action, t.image, t.parameters,
                t.credential_id, t.timeout_seconds, t.lease_expires_at, t.priority, t.created_at, t.app_id,
                e.traceparent""";

    private final DataSource dataSource;
    private final EntityManager em;
    private final TaskOwner owner;
    private final CredentialStore credentials;
    private final AppCatalog apps;
    private final ExecutionTokens tokens;
    private final TaskSignal signal;
    private final Outputs outputs;
    private final EngineConfig config;
    private final ObjectMapper json;

    TaskQueue(DataSource dataSource, EntityManager em, TaskOwner owner, CredentialStore credentials, AppCatalog apps,
              ExecutionTokens tokens, TaskSignal signal, Outputs outputs, EngineConfig config, ObjectMapper json) {
        this.dataSource = dataSource;
        this.em = em;
        this.owner = owner;
        this.credentials = credentials;
        this.apps = apps;
        this.tokens = tokens;
        this.signal = signal;
        this.outputs = outputs;
        this.config = config;
        this.json = json;
    }

    private record Row(UUID id, int attempt, UUID executionId, String actionId, String app, String action,
                       String image, String parameters, UUID credentialId, int timeoutSeconds, Instant leaseExpiresAt,
                       int priority, Instant createdAt, UUID appId, String traceparent) {
    }

    /** A claimed task that must not be handed out with its credential: it fails instead. */
    private record Refused(UUID taskId, int attempt, String reason) {
    }

    private record Claim(List<ClaimedTask> tasks, List<Refused> refused) {
    }

    /** Up to {@code max} tasks of the worker's organisation, waiting up to {@code wait} for some to appear. */
    public List<ClaimedTask> claim(UUID orgId, String environment, int max, Duration wait) {
        int limit = Math.max(1, Math.min(max, config.queue().maxTasksPerClaim()));
        Duration bounded = wait.compareTo(config.queue().maxWait()) > 0 ? config.queue().maxWait() : wait;
        long deadline = System.currentTimeMillis() + bounded.toMillis();
        while (true) {
            long seen = signal.generation();
            Claim claim = QuarkusTransaction.requiringNew().call(() -> claimNow(orgId, environment, limit));
            for (Refused refused : claim.refused()) {
                QuarkusTransaction.requiringNew().run(() -> complete(orgId, refused.taskId(), refused.attempt(),
                        Task.Outcome.FAILURE, null, refused.reason(), null));
            }
            List<ClaimedTask> tasks = claim.tasks();
            long left = deadline - System.currentTimeMillis();
            if (!tasks.isEmpty() || left <= 0) {
                return tasks;
            }
            try {
                signal.await(seen, Math.min(left, config.queue().pollInterval().toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
    }

    private Claim claimNow(UUID orgId, String environment, int limit) {
        List<Row> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement claim = connection.prepareStatement(CLAIM)) {
            claim.setObject(1, orgId);
            claim.setString(2, environment);
            claim.setInt(3, limit);
            claim.setLong(4, config.queue().lease().toSeconds());
            try (ResultSet rs = claim.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getObject(1, UUID.class), rs.getInt(2), rs.getObject(3, UUID.class),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                            rs.getObject(9, UUID.class), rs.getInt(10), rs.getTimestamp(11).toInstant(), rs.getInt(12),
                            rs.getTimestamp(13).toInstant(), rs.getObject(14, UUID.class), rs.getString(15)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Claiming tasks failed", e);
        }
        rows.sort(Comparator.comparingInt(Row::priority).reversed().thenComparing(Row::createdAt));
        List<ClaimedTask> claimed = new ArrayList<>(rows.size());
        List<Refused> refused = new ArrayList<>();
        for (Row row : rows) {
            String refusal = refusal(orgId, row);
            if (refusal == null) {
                claimed.add(handOut(orgId, row));
            } else {
                Log.warnf("Task %s (execution %s) is not handed out: %s", row.id(), row.executionId(), refusal);
                refused.add(new Refused(row.id(), row.attempt(), refusal));
            }
        }
        if (!claimed.isEmpty()) {
            Log.debugf("Org %s claimed %d tasks in environment %s", orgId, claimed.size(), environment);
        }
        return new Claim(claimed, refused);
    }

    /**
     * Checked again at the hand-out, whatever happened since the task was queued: an HTTP task's credential goes
     * only to the hosts the credential allows, and only with the authentication of the app version it was queued for.
     */
    private String refusal(UUID orgId, Row row) {
        if (row.credentialId() == null || !BuiltinApps.HTTP.equals(row.app())) {
            return null;
        }
        CredentialStore.Scope scope = credentials.scope(orgId, row.credentialId()).orElse(null);
        if (scope == null) {
            return "the action's credential no longer exists";
        }
        String url = outputs.read(row.parameters()).path("url").asText(null);
        if (!scope.allowedHosts().allows(url)) {
            return CredentialStore.refusal(scope, url);
        }
        if (row.appId() != null && apps.byId(orgId, row.appId()).isEmpty()) {
            return "the app version the action was queued for no longer exists";
        }
        return null;
    }

    private ClaimedTask handOut(UUID orgId, Row row) {
        JsonNode parameters = outputs.read(row.parameters());
        Map<String, String> secrets = null;
        AppDefinition app = row.appId() == null ? null : apps.byId(orgId, row.appId()).orElse(null);
        if (row.credentialId() != null) {
            Map<String, String> fields = credentials.decrypt(orgId, row.credentialId());
            if (BuiltinApps.HTTP.equals(row.app()) && parameters instanceof ObjectNode request) {
                HttpCalls.authenticate(request, app == null ? null : app.authentication(), fields);
            } else {
                secrets = fields;
            }
        }
        boolean network = app != null && app.image() != null && Boolean.TRUE.equals(app.network());
        // Only app code with a network can call back with the token: the other tasks get none (nor its signature).
        String token = network ? tokens.forTask(orgId, row.executionId(),
                Duration.ofSeconds(row.timeoutSeconds()).plus(config.queue().lease())) : null;
        return new ClaimedTask(row.id(), row.attempt(), row.executionId(), orgId, row.actionId(), row.app(),
                row.action(), row.image(), network, parameters, secrets, row.timeoutSeconds(), row.leaseExpiresAt(),
                token, row.traceparent());
    }

    /**
     * Renews the lease of the worker's current attempt, also when it had expired and the task is back in the queue
     * but not claimed again (the agent is alive after all); 409 when the attempt no longer holds the task.
     */
    @Transactional
    public Instant heartbeat(UUID orgId, UUID taskId, int attempt) {
        Instant until = Instant.now().plus(config.queue().lease());
        int renewed = Task.update("status = ?1, leaseExpiresAt = ?2 where id = ?3 and orgId = ?4 and attempt = ?5 "
                        + "and status in ?6", Task.Status.RUNNING, until, taskId, orgId, attempt,
                List.of(Task.Status.RUNNING, Task.Status.QUEUED));
        if (renewed == 0) {
            Task task = find(orgId, taskId);
            throw new Conflict("Task " + taskId + " attempt " + attempt + " holds no lease (task is " + task.status
                    + ", attempt " + task.attempt + "): stop working on it");
        }
        return until;
    }

    /**
     * Records the result of an attempt and reports the ended task to its {@link TaskOwner}, the engine, which
     * decides what comes next. Repeating the result of an attempt already recorded is accepted and changes nothing;
     * a result of an attempt that no longer holds the task (re-queued and claimed again, or aborted) is refused with
     * 409. A result that arrives after its lease expired but before another agent claimed the task is still
     * accepted: no work is lost.
     */
    @Transactional
    public void complete(UUID orgId, UUID taskId, int attempt, Task.Outcome outcome, JsonNode output, String error,
                         String log) {
        Outcome recorded = record(orgId, lock(orgId, List.of(taskId)).get(taskId), taskId, attempt, outcome, output,
                error, log);
        switch (recorded.status()) {
            case NOT_FOUND -> throw new NotFound("task", taskId);
            case CONFLICT -> throw new Conflict(recorded.detail());
            case RECORDED -> { }
        }
    }

    /**
     * Records several results in one transaction, each as {@link #complete} does, in the order given, and answers
     * what became of each instead of refusing the call for one stale result.
     */
    @Transactional
    public List<Outcome> completeAll(UUID orgId, List<TaskResults.Item> items) {
        Map<UUID, Task> tasks = lock(orgId, items.stream().map(TaskResults.Item::taskId).distinct().toList());
        return items.stream().map(item -> {
            TaskResult result = item.result();
            return record(orgId, tasks.get(item.taskId()), item.taskId(), result.attempt(),
                    Task.Outcome.valueOf(result.status().name()), result.output(), result.error(), result.log());
        }).toList();
    }

    /**
     * The organisation's tasks among {@code taskIds}, locked after their executions: a few statements for any number
     * of results, however many executions they touch.
     */
    private Map<UUID, Task> lock(UUID orgId, List<UUID> taskIds) {
        owner.lockExecutionsOf(orgId, taskIds);
        Map<UUID, Task> tasks = new HashMap<>();
        em.unwrap(Session.class).createNativeQuery(
                        "select * from task where org_id = :org and id = any(:ids) order by id for update", Task.class)
                .addSynchronizedEntityClass(Task.class)
                .setParameter("org", orgId)
                .setParameter("ids", taskIds.toArray(UUID[]::new))
                .getResultList().forEach(task -> tasks.put(task.id, task));
        return tasks;
    }

    /** One result, its task (null when the organisation has none) and the task's execution already locked. */
    private Outcome record(UUID orgId, Task task, UUID taskId, int attempt, Task.Outcome outcome, JsonNode output,
                           String error, String log) {
        if (task == null) {
            return new Outcome(taskId, attempt, Outcome.Status.NOT_FOUND, "Task " + taskId + " not found");
        }
        if (task.status == Task.Status.DONE && task.attempt == attempt) {
            return new Outcome(taskId, attempt, Outcome.Status.RECORDED, null);
        }
        boolean holds = task.attempt == attempt
                && (task.status == Task.Status.RUNNING || task.status == Task.Status.QUEUED);
        if (!holds) {
            return new Outcome(taskId, attempt, Outcome.Status.CONFLICT, "Task " + taskId + " attempt " + attempt
                    + " is no longer current (task is " + task.status + ", attempt " + task.attempt + ")");
        }
        List<String> values = task.credentialId == null || Credential.findById(task.credentialId) == null ? List.of()
                : credentials.decrypt(orgId, task.credentialId).values().stream().filter(v -> v.length() >= 4).toList();
        JsonNode cleanOutput = scrub(output, values);
        String cleanError = error == null ? null : scrubText(error, values);
        if (log != null) {
            Log.debugf("Task %s attempt %d (execution %s, action %s) log:%n%s", taskId, attempt, task.executionId,
                    task.actionId, scrubText(log, values));
        }
        task.status = Task.Status.DONE;
        task.resultStatus = outcome;
        try {
            task.output = outputs.store(cleanOutput, "the output");
        } catch (LimitExceeded e) {
            task.output = null;
            task.resultStatus = Task.Outcome.FAILURE;
            cleanError = e.getMessage();
        }
        task.error = task.resultStatus == Task.Outcome.FAILURE && cleanError == null ? "the action failed" : cleanError;
        task.finishedAt = Instant.now();
        task.leaseExpiresAt = null;
        owner.ended(task);
        return new Outcome(taskId, attempt, Outcome.Status.RECORDED, null);
    }

    private static Task find(UUID orgId, UUID taskId) {
        return Task.<Task>findByIdOptional(taskId).filter(t -> t.orgId.equals(orgId))
                .orElseThrow(() -> new NotFound("task", taskId));
    }

    /** Replaces credential values an app echoed in its output, so they are never stored. */
    private JsonNode scrub(JsonNode output, List<String> values) {
        if (output == null || values.isEmpty()) {
            return output;
        }
        try {
            String text = json.writeValueAsString(output);
            String clean = text;
            for (String value : values) {
                String encoded = json.writeValueAsString(value);
                clean = clean.replace(encoded.substring(1, encoded.length() - 1), "***");
            }
            return clean.equals(text) ? output : json.readTree(clean);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String scrubText(String text, List<String> values) {
        String clean = text;
        for (String value : values) {
            clean = clean.replace(value, "***");
        }
        return clean;
    }
}
