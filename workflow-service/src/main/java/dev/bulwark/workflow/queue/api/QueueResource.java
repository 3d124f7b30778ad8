package dev.bulwark.workflow.queue.api;

import dev.bulwark.common.security.Roles;
import dev.bulwark.common.tasks.ClaimRequest;
import dev.bulwark.common.tasks.ClaimResponse;
import dev.bulwark.common.tasks.Heartbeat;
import dev.bulwark.common.tasks.HeartbeatResponse;
import dev.bulwark.common.tasks.TaskResult;
import dev.bulwark.common.tasks.TaskResults;
import dev.bulwark.common.tasks.TaskResultsResponse;
import dev.bulwark.workflow.identity.api.CallerResolver;
import dev.bulwark.workflow.identity.domain.Caller;
import dev.bulwark.workflow.limits.domain.WaitSlots;
import dev.bulwark.workflow.queue.domain.Task;
import dev.bulwark.workflow.queue.domain.TaskQueue;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.UUID;

/**
 * The task queue for worker agents (role {@code worker}), scoped to the agent's organisation; its wire contract is
 * suite-common's {@code dev.bulwark.common.tasks}, which worker-agent compiles against too.
 */
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
    public void result(@PathParam("taskId") UUID taskId, @Valid @NotNull TaskResult request) {
        queue.complete(callers.caller().org(), taskId, request.attempt(), Task.Outcome.valueOf(request.status().name()),
                request.output(), request.error(), request.log());
    }

    /**
     * 200 with what became of each result, in the order sent: recorded (now or before), a conflict (the attempt no
     * longer holds the task) or not found; a call that cannot be recorded as a whole (5xx) can be sent again.
     */
    @POST
    @Path("/tasks/results")
    public TaskResultsResponse results(@Valid @NotNull TaskResults request) {
        return new TaskResultsResponse(queue.completeAll(callers.caller().org(), request.results()));
    }
}
