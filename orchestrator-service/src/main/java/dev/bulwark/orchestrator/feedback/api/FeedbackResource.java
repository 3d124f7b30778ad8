package dev.bulwark.orchestrator.feedback.api;

import dev.bulwark.common.error.Invalid;
import dev.bulwark.common.security.Roles;
import dev.bulwark.orchestrator.config.OrchestratorConfig;
import dev.bulwark.orchestrator.feedback.domain.FollowerPermits;
import dev.bulwark.orchestrator.feedback.messaging.FeedbackEvent;
import dev.bulwark.orchestrator.feedback.messaging.FeedbackFollower;
import dev.bulwark.orchestrator.feedback.messaging.FeedbackKeys;
import dev.bulwark.orchestrator.run.api.Callers;
import dev.bulwark.orchestrator.run.domain.RunService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Live feedback of one tester of a run, from any point: SSE resumes after {@code Last-Event-ID}, long poll after
 * {@code after}. Both end (SSE with an {@code end} event, long poll with {@code done: true}) once every session of
 * the tester has finished or failed.
 */
@Path("/api/v1/test-runs/{id}/feedback/{tester}")
@RolesAllowed({Roles.ADMIN, Roles.USER, Roles.READER})
public class FeedbackResource {

    private final RunService runs;
    private final FeedbackFollower follower;
    private final OrchestratorConfig config;
    private final JsonWebToken caller;
    private final RenderedEvents rendered;
    private final FollowerPermits permits;

    FeedbackResource(RunService runs, FeedbackFollower follower, OrchestratorConfig config,
                     JsonWebToken caller, RenderedEvents rendered, FollowerPermits permits) {
        this.permits = permits;
        this.runs = runs;
        this.follower = follower;
        this.config = config;
        this.caller = caller;
        this.rendered = rendered;
    }

    /** A long-poll answer: the events after the cursor, the cursor to send next, and whether more can come. */
    public record Poll(List<FeedbackEvent> events, String cursor, boolean done) {
    }

    @GET
    @Blocking
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> stream(@PathParam("id") UUID id, @PathParam("tester") String tester,
                                          @HeaderParam("Last-Event-ID") String lastEventId, @Context Sse sse) {
        String cursor = cursor(lastEventId, "Last-Event-ID");
        RunService.Caller who = Callers.of(caller);
        RunService.FeedbackScope scope = runs.feedbackScope(id, who.org(), tester);
        Runnable release = permits.acquire(FollowerPermits.Kind.STREAM, who.principal());
        return follower.follow(scope.streamKey(), cursor, FeedbackEvent::testerDone, scope.testerDone())
                .map(event -> sse.newEventBuilder().id(event.id()).name(event.type().name())
                        .mediaType(MediaType.APPLICATION_JSON_TYPE).data(String.class, rendered.json(event)).build())
                .onCompletion().continueWith(sse.newEventBuilder().name("end")
                        .data(String.class, "{\"tester\":\"" + scope.tester() + "\"}").build())
                .onTermination().invoke(release);
    }

    @GET
    @Path("/poll")
    @Blocking
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Poll> poll(@PathParam("id") UUID id, @PathParam("tester") String tester,
                          @QueryParam("after") String after, @QueryParam("wait") @DefaultValue("0") int wait) {
        String cursor = cursor(after, "after");
        if (wait < 0) {
            throw new Invalid("wait must be 0 or more seconds");
        }
        Duration waitFor = Duration.ofSeconds(wait).compareTo(config.maxPollWait()) > 0 ? config.maxPollWait()
                : Duration.ofSeconds(wait);
        RunService.Caller who = Callers.of(caller);
        RunService.FeedbackScope scope = runs.feedbackScope(id, who.org(), tester);
        Runnable release = permits.acquire(FollowerPermits.Kind.POLL, who.principal());
        return follower.poll(scope.streamKey(), cursor, event -> true, FeedbackEvent::testerDone, waitFor,
                        scope.testerDone())
                .map(batch -> new Poll(batch.events(), batch.cursor(), batch.done()))
                .onTermination().invoke(release);
    }

    public static String cursor(String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!FeedbackKeys.CURSOR.matcher(value.trim()).matches()) {
            throw new Invalid(name + " must be an event id this service handed out, like 1700000000000-0");
        }
        return value.trim();
    }
}
