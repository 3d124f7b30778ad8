package dev.bulwark.orchestrator.purpleteam.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.common.error.NotFound;
import dev.bulwark.common.error.ProblemException;
import dev.bulwark.orchestrator.config.OrchestratorConfig;
import dev.bulwark.orchestrator.feedback.api.FeedbackResource;
import dev.bulwark.orchestrator.feedback.domain.FollowerPermits;
import dev.bulwark.orchestrator.feedback.messaging.FeedbackFollower;
import dev.bulwark.orchestrator.purpleteam.domain.CompatEvent;
import dev.bulwark.orchestrator.purpleteam.messaging.CompatCursors;
import dev.bulwark.orchestrator.run.domain.RunService.FeedbackScope;
import dev.bulwark.orchestrator.run.domain.RunService;
import dev.bulwark.orchestrator.run.domain.RunView;
import dev.bulwark.orchestrator.run.domain.TesterPlan;
import dev.bulwark.orchestrator.run.persistence.TestRun;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The orchestrator API of the purpleteam CLI (4.0.0-alpha.3, local mode), mapped onto ordinary runs of the
 * configured purpleteam organisation; the endpoints act on the newest run started through them. The CLI sends no
 * credentials, so these endpoints are open, and off ({@link PurpleteamSwitch}) unless
 * {@code bulwark.orchestrator.compat.enabled} is set. Errors are answered as the CLI expects them:
 * {@code {"message"}} with the problem's status and headers (503 and 429 with {@code Retry-After}).
 */
@Path("/")
@PermitAll
public class PurpleteamResource {

    static final String ALL_FINISHED = CompatEvent.ALL_FINISHED;
    private static final String SUBJECT = "purpleteam-cli";
    private static final List<String> TESTERS = List.of("app", "server", "tls");

    private final RunService runs;
    private final FeedbackFollower follower;
    private final CompatCursors cursors;
    private final FollowerPermits permits;
    private final OrchestratorConfig config;
    private final ObjectMapper mapper;

    PurpleteamResource(RunService runs, FeedbackFollower follower, CompatCursors cursors, FollowerPermits permits,
                       OrchestratorConfig config, ObjectMapper mapper) {
        this.runs = runs;
        this.follower = follower;
        this.cursors = cursors;
        this.permits = permits;
        this.config = config;
        this.mapper = mapper;
    }

    /** A tester's line in the plan and in the start answer. */
    public record TesterMessage(String name, String message) {
    }

    public record Started(List<TesterMessage> testerStatuses, String testerFeedbackCommsMedium) {
    }

    @GET
    @Path("status")
    @Produces(MediaType.TEXT_PLAIN)
    public String status() {
        boolean running = latest().map(run -> run.status.active()).orElse(false);
        return running ? "Test Run is in progress." : "orchestrator is ready to take orders.";
    }

    @POST
    @Path("testplan")
    @Produces(MediaType.APPLICATION_JSON)
    public List<TesterMessage> testPlan(String body) {
        List<TesterPlan> plans = runs.plan(runs.parse(body));
        return TESTERS.stream().map(name -> plans.stream().filter(p -> p.name().equals(name))
                .findFirst().map(p -> new TesterMessage(name, p.plan()))
                .orElseGet(() -> new TesterMessage(name, inactive(name)))).toList();
    }

    @POST
    @Path("test")
    @Produces(MediaType.APPLICATION_JSON)
    public Response test(String body) {
        List<TesterPlan> plans = runs.plan(runs.parse(body));
        RunView run = runs.start(body, null, null, caller(), RunService.ORIGIN_PURPLETEAM);
        List<TesterMessage> statuses = TESTERS.stream().map(name -> plans.stream()
                .filter(p -> p.name().equals(name) && p.active()).findFirst()
                .map(p -> new TesterMessage(name, "Tester initialised."))
                .orElseGet(() -> new TesterMessage(name, inactive(name)))).toList();
        return Response.accepted(new Started(statuses, run.medium())).build();
    }

    /** The events of one session since the last poll (the cursor is kept per session); blocks up to max-poll-wait. */
    @GET
    @Path("poll-tester-feedback/{tester}/{session}")
    @Blocking
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<List<CompatEvent>> poll(@PathParam("tester") String tester, @PathParam("session") String session) {
        FeedbackScope scope = scope(tester, session);
        Runnable release = permits.acquire(FollowerPermits.Kind.POLL, caller().principal());
        return cursors.get(scope.runId(), tester, session)
                .chain(cursor -> follower.poll(scope.streamKey(), cursor, event -> session.equals(event.session()),
                        event -> event.terminal() && session.equals(event.session()), config.maxPollWait(),
                        scope.sessionsDone().get(session)))
                .call(batch -> cursors.set(scope.runId(), tester, session, batch.cursor()))
                .map(batch -> batch.events().isEmpty() ? List.of(CompatEvent.nothingYet())
                        : batch.events().stream().map(CompatEvent::of).toList())
                .onTermination().invoke(release);
    }

    @GET
    @Path("tester-feedback/{tester}/{session}")
    @Blocking
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> stream(@PathParam("tester") String tester, @PathParam("session") String session,
                                          @HeaderParam("Last-Event-ID") String lastEventId, @Context Sse sse) {
        String cursor = FeedbackResource.cursor(lastEventId, "Last-Event-ID");
        FeedbackScope scope = scope(tester, session);
        Runnable release = permits.acquire(FollowerPermits.Kind.STREAM, caller().principal());
        return follower.follow(scope.streamKey(), cursor,
                        event -> event.terminal() && session.equals(event.session()),
                        scope.sessionsDone().get(session))
                .select().where(event -> session.equals(event.session()))
                .map(event -> {
                    CompatEvent compat = CompatEvent.of(event);
                    return sse.newEventBuilder().id(event.id()).name(compat.event())
                            .data(String.class, json(compat.data())).build();
                })
                .onCompletion().continueWith(sse.newEventBuilder().name("end").data(String.class, "{}").build())
                .onTermination().invoke(release);
    }

    @GET
    @Path("outcomes")
    @Produces({"application/zip", MediaType.APPLICATION_JSON})
    public Response outcomes() {
        return latest().filter(run -> !run.status.active())
                .flatMap(run -> runs.outcomes(run).map(zip -> Response.ok(zip, "application/zip")
                        .header("Content-Disposition", "attachment; filename=\"outcomes_" + run.id + ".zip\"")
                        .build()))
                .orElseGet(() -> message(404, "No outcomes yet: the last test run has not finished"));
    }

    @ServerExceptionMapper
    Response problem(ProblemException e) {
        String detail = e.getMessage();
        var problem = e.toProblem(null);
        if (problem.errors() != null) {
            detail = detail + ": " + problem.errors().stream().map(v -> v.field() + ": " + v.message())
                    .collect(Collectors.joining("; "));
        }
        Response.ResponseBuilder response = Response.status(e.status()).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("message", detail));
        e.headers().forEach(response::header);
        return response.build();
    }

    private Optional<TestRun> latest() {
        return runs.latest(config.compat().org(), RunService.ORIGIN_PURPLETEAM);
    }

    private FeedbackScope scope(String tester, String session) {
        TestRun run = latest().orElseThrow(() -> new NotFound("Test run", "latest"));
        FeedbackScope scope = runs.feedbackScope(run.id, config.compat().org(), tester);
        if (!scope.sessionsDone().containsKey(session)) {
            throw new NotFound("Session of tester " + tester, session);
        }
        return scope;
    }

    private RunService.Caller caller() {
        return new RunService.Caller(config.compat().org(), SUBJECT);
    }

    private static String inactive(String tester) {
        return "No " + tester + " testing available currently. The " + tester + " Tester is currently in-active.";
    }

    private static Response message(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("message", message)).build();
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise purpleteam feedback", e);
        }
    }
}
