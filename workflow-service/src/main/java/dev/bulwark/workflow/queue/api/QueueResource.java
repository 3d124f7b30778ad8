package dev.bulwark.workflow.queue.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.common.security.Roles;
import dev.bulwark.workflow.identity.api.CallerResolver;
import dev.bulwark.workflow.identity.domain.Caller;
import dev.bulwark.workflow.limits.domain.WaitSlots;
import dev.bulwark.workflow.queue.domain.Task;
import dev.bulwark.workflow.queue.domain.TaskQueue;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The task queue for worker agents (role {@code worker}), scoped to the agent's organisation. */
@Path("/api/v1")
@RolesAllowed(Roles.WORKER)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class QueueResource {

    private final TaskQueue queue;
    private final CallerResolver callers;
    private final WaitSlots waits;

    QueueResource(TaskQueue queue, CallerResolver callers, WaitSlots waits) {
        this.queue = queue;
        this.callers = callers;
        this.waits = waits;
    }

    /**
     * @param environment the agents' environment ({@code default} when absent)
     * @param max         tasks wanted (1 when absent)
     * @param waitSeconds long-poll time when nothing is queued (0 when absent, at most 30)
     */
    public record ClaimRequest(@Size(max = 100) String environment, @Min(1) @Max(100) Integer max,
                               @Min(0) @Max(30) Integer waitSeconds) {
    }

    public record ClaimResponse(List<TaskQueue.ClaimedTask> tasks) {
    }

    public record Heartbeat(@NotNull @Min(1) Integer attempt) {
    }

    public record HeartbeatResponse(UUID taskId, int attempt, Instant leaseExpiresAt) {
    }

    public record Result(@NotNull @Min(1) Integer attempt, @NotNull @Pattern(regexp = "SUCCESS|FAILURE") String status,
                         JsonNode output, @Size(max = 10000) String error, String log) {
    }

    /** A claim that may wait holds one of the caller's long-poll slots while it does (429 when none is free). */
    @POST
    @Path("/queue/claim")
    public ClaimResponse claim(@Valid ClaimRequest request) {
        ClaimRequest given = request == null ? new ClaimRequest(null, null, null) : request;
        Caller caller = callers.caller();
        String environment = given.environment() == null || given.environment().isBlank() ? "default"
                : given.environment();
        int max = given.max() == null ? 1 : given.max();
        Duration wait = Duration.ofSeconds(given.waitSeconds() == null ? 0 : given.waitSeconds());
        if (wait.isZero()) {
            return new ClaimResponse(queue.claim(caller.org(), environment, max, wait));
        }
        try (WaitSlots.Slot slot = waits.acquire(caller.org(), caller.subject())) {
            return new ClaimResponse(queue.claim(caller.org(), environment, max, wait));
        }
    }

    @POST
    @Path("/tasks/{taskId}/heartbeat")
    public HeartbeatResponse heartbeat(@PathParam("taskId") UUID taskId, @Valid @NotNull Heartbeat request) {
        return new HeartbeatResponse(taskId, request.attempt(),
                queue.heartbeat(callers.caller().org(), taskId, request.attempt()));
    }

    /** 204 when recorded (or recorded before: results are idempotent by task and attempt). */
    @POST
    @Path("/tasks/{taskId}/result")
    public void result(@PathParam("taskId") UUID taskId, @Valid @NotNull Result request) {
        queue.complete(callers.caller().org(), taskId, request.attempt(), Task.Outcome.valueOf(request.status()),
                request.output(), request.error(), request.log());
    }
}
