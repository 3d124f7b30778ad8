package dev.bulwark.orchestrator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.common.error.ProblemException;
import dev.bulwark.orchestrator.config.OrchestratorConfig;
import dev.bulwark.orchestrator.domain.run.RunService;
import dev.bulwark.orchestrator.domain.run.RunService.FeedbackScope;
import dev.bulwark.orchestrator.domain.run.RunView;
import dev.bulwark.orchestrator.domain.run.TesterPlan;
import dev.bulwark.orchestrator.messaging.FeedbackEvent;
import dev.bulwark.orchestrator.messaging.FeedbackFollower;
import dev.bulwark.orchestrator.messaging.FeedbackKeys;
import dev.bulwark.orchestrator.messaging.FeedbackUnavailable;
import dev.bulwark.orchestrator.messaging.FollowerPermits;
import dev.bulwark.orchestrator.persistence.TestRun;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The orchestrator API of the purpleteam CLI (4.0.0-alpha.3, local mode), mapped onto ordinary runs of the
 * configured purpleteam organisation; the endpoints act on the newest run started through them. The CLI sends no
 * credentials, so these endpoints are open and off unless {@code bulwark.orchestrator.compat.enabled} is set.
 */
@Path("/")
@PermitAll
public class PurpleteamResource {

    static final String ALL_FINISHED = "All Test Sessions of all Testers are finished.";
    private static final String SUBJECT = "purpleteam-cli";
    private static final List<String> TESTERS = List.of("app", "server", "tls");

    private final RunService runs;
    private final FeedbackFollower follower;
    private final OrchestratorConfig config;
    private final RedisDataSource redis;
    private final ReactiveRedisDataSource reactiveRedis;
    private final ObjectMapper mapper;
    private final FollowerPermits permits;

    PurpleteamResource(RunService runs, FeedbackFollower follower, OrchestratorConfig config, RedisDataSource redis, ReactiveRedisDataSource reactiveRedis,
                       ObjectMapper mapper, FollowerPermits permits) {
        this.permits = permits;
        this.runs = runs;
        this.follower = follower;
        this.config = config;
        this.redis = redis;
        this.reactiveRedis = reactiveRedis;
        this.mapper = mapper;
    }

    /** A tester's line in the plan and in the start answer. */
    public record TesterMessage(String name, String message) {
    }

    public record Started(List<TesterMessage> testerStatuses, String testerFeedbackCommsMedium) {
    }

    /** purpleteam's feedback event: {@code testerProgress}, {@code testerPctComplete} or {@code testerBugCount}. */
    public record CompatEvent(Long id, String event, Map<String, Object> data) {
    }

    @GET
    @Path("status")
    @Produces(MediaType.TEXT_PLAIN)
    public Response status() {
        if (!config.compat().enabled()) {
            return disabled();
        }
        boolean running = runs.latest(config.compat().org(), RunService.ORIGIN_PURPLETEAM)
                .map(run -> run.status.active()).orElse(false);
        return Response.ok(running ? "Test Run is in progress." : "orchestrator is ready to take orders.").build();
    }

    @POST
    @Path("testplan")
    @Produces(MediaType.APPLICATION_JSON)
    public Response testPlan(String body) {
        if (!config.compat().enabled()) {
            return disabled();
        }
        try {
            List<TesterPlan> plans = runs.plan(runs.parse(body));
            return Response.ok(TESTERS.stream().map(name -> plans.stream().filter(p -> p.name().equals(name))
                    .findFirst().map(p -> new TesterMessage(name, p.plan()))
                    .orElseGet(() -> new TesterMessage(name, inactive(name)))).toList()).build();
        } catch (ProblemException e) {
            return error(e);
        }
    }

    @POST
    @Path("test")
    @Produces(MediaType.APPLICATION_JSON)
    public Response test(String body) {
        if (!config.compat().enabled()) {
            return disabled();
        }
        try {
            List<TesterPlan> plans = runs.plan(runs.parse(body));
            RunView run = runs.start(body, null, null, new RunService.Caller(config.compat().org(), SUBJECT),
                    RunService.ORIGIN_PURPLETEAM);
            List<TesterMessage> statuses = TESTERS.stream().map(name -> plans.stream()
                    .filter(p -> p.name().equals(name) && p.active()).findFirst()
                    .map(p -> new TesterMessage(name, "Tester initialised."))
                    .orElseGet(() -> new TesterMessage(name, inactive(name)))).toList();
            return Response.accepted(new Started(statuses, run.medium())).build();
        } catch (ProblemException e) {
            return error(e);
        }
    }

    @GET
    @Path("poll-tester-feedback/{tester}/{session}")
    @Blocking
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> poll(@PathParam("tester") String tester, @PathParam("session") String session) {
        if (!config.compat().enabled()) {
            return Uni.createFrom().item(disabled());
        }
        FeedbackScope scope;
        Runnable release;
        try {
            scope = scope(tester, session);
            release = permits.acquire(FollowerPermits.Kind.POLL, principal());
        } catch (ProblemException e) {
            return Uni.createFrom().item(error(e));
        }
        String cursorKey = FeedbackKeys.compatCursor(scope.runId().toString(), tester, session);
        String cursor;
        try {
            cursor = redis.value(String.class).get(cursorKey);
        } catch (RuntimeException e) {
            return Uni.createFrom().item(unavailable(new FeedbackUnavailable(e)));
        }
        return follower.poll(scope.streamKey(), cursor, event -> session.equals(event.session()),
                        event -> event.terminal() && session.equals(event.session()), config.maxPollWait(),
                        scope.sessionsDone().get(session))
                .call(batch -> batch.cursor() == null ? Uni.createFrom().voidItem()
                        : reactiveRedis.value(String.class).setex(cursorKey, config.feedbackRetention().toSeconds(),
                        batch.cursor()).onFailure().transform(FeedbackUnavailable::new))
                .map(batch -> {
                    List<CompatEvent> events = batch.events().stream().map(this::translate).toList();
                    return Response.ok(events.isEmpty() ? List.of(new CompatEvent(null, "testerProgress",
                            nullProgress())) : events).build();
                })
                .onFailure(FeedbackUnavailable.class)
                .recoverWithItem(failure -> unavailable((FeedbackUnavailable) failure))
                .onTermination().invoke(release);
    }

    @GET
    @Path("tester-feedback/{tester}/{session}")
    @Blocking
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> stream(@PathParam("tester") String tester, @PathParam("session") String session,
                                          @HeaderParam("Last-Event-ID") String lastEventId, @Context Sse sse) {
        if (!config.compat().enabled()) {
            throw new dev.bulwark.common.error.NotFound("Endpoint", "tester-feedback");
        }
        String cursor = FeedbackResource.cursor(lastEventId, "Last-Event-ID");
        FeedbackScope scope = scope(tester, session);
        Runnable release = permits.acquire(FollowerPermits.Kind.STREAM, principal());
        return follower.follow(scope.streamKey(), cursor,
                        event -> event.terminal() && session.equals(event.session()),
                        scope.sessionsDone().get(session))
                .select().where(event -> session.equals(event.session()))
                .map(event -> {
                    CompatEvent compat = translate(event);
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
        if (!config.compat().enabled()) {
            return disabled();
        }
        return runs.latest(config.compat().org(), RunService.ORIGIN_PURPLETEAM)
                .filter(run -> !run.status.active())
                .flatMap(run -> runs.outcomes(run).map(zip -> Response.ok(zip, "application/zip")
                        .header("Content-Disposition", "attachment; filename=\"outcomes_" + run.id + ".zip\"")
                        .build()))
                .orElseGet(() -> message(404, "No outcomes yet: the last test run has not finished"));
    }

    private FeedbackScope scope(String tester, String session) {
        TestRun run = runs.latest(config.compat().org(), RunService.ORIGIN_PURPLETEAM)
                .orElseThrow(() -> new dev.bulwark.common.error.NotFound("Test run", "latest"));
        FeedbackScope scope = runs.feedbackScope(run.id, config.compat().org(), tester);
        if (!scope.sessionsDone().containsKey(session)) {
            throw new dev.bulwark.common.error.NotFound("Session of tester " + tester, session);
        }
        return scope;
    }

    private CompatEvent translate(FeedbackEvent event) {
        Long id = Long.parseLong(event.id().substring(0, event.id().indexOf('-')));
        return switch (event.type()) {
            case progress -> new CompatEvent(id, "testerProgress", Map.of("progress", event.data().get("message")));
            case pctComplete -> new CompatEvent(id, "testerPctComplete",
                    Map.of("pctComplete", event.data().get("pctComplete")));
            case findingCount -> new CompatEvent(id, "testerBugCount",
                    Map.of("bugCount", event.data().get("findingCount")));
            case finished, failed -> new CompatEvent(id, "testerProgress", Map.of("progress", event.runDone()
                    ? ALL_FINISHED : event.type() == FeedbackEvent.Type.finished
                    ? "Tester finished: session " + event.session() + " found " + event.data().get("findings")
                    + " problem(s)"
                    : "Tester finished with failure: " + event.data().get("reason")));
        };
    }

    private static Map<String, Object> nullProgress() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("progress", null);
        return data;
    }

    private static String inactive(String tester) {
        return "No " + tester + " testing available currently. The " + tester + " Tester is currently in-active.";
    }

    private String principal() {
        return new RunService.Caller(config.compat().org(), SUBJECT).principal();
    }

    private static Response error(ProblemException e) {
        String detail = e.getMessage();
        var problem = e.toProblem(null);
        if (problem.errors() != null) {
            List<String> fields = new ArrayList<>();
            problem.errors().forEach(v -> fields.add(v.field() + ": " + v.message()));
            detail = detail + ": " + fields.stream().collect(Collectors.joining("; "));
        }
        Response.ResponseBuilder response = Response.status(e.status()).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("message", detail));
        e.headers().forEach(response::header);
        return response.build();
    }

    /** 503 with {@code Retry-After}: the CLI's requests are retried rather than ending its feedback loop. */
    private static Response unavailable(FeedbackUnavailable e) {
        Response.ResponseBuilder response = Response.status(e.status()).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("message", e.getMessage()));
        e.headers().forEach(response::header);
        return response.build();
    }

    private static Response message(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("message", message)).build();
    }

    private static Response disabled() {
        return message(404, "The purpleteam endpoints are disabled (bulwark.orchestrator.compat.enabled)");
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise purpleteam feedback", e);
        }
    }
}
