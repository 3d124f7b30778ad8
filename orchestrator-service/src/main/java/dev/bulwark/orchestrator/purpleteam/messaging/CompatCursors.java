package dev.bulwark.orchestrator.purpleteam.messaging;

import dev.bulwark.orchestrator.config.OrchestratorConfig;
import dev.bulwark.orchestrator.feedback.messaging.FeedbackKeys;
import dev.bulwark.orchestrator.feedback.messaging.FeedbackUnavailable;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Where the purpleteam long poll of each session stands: its client sends no cursor, so the service keeps it in
 * Redis beside the session's stream (any instance answers the next poll), for as long as the stream is kept.
 */
@ApplicationScoped
public class CompatCursors {

    private final ReactiveRedisDataSource redis;
    private final OrchestratorConfig config;

    CompatCursors(ReactiveRedisDataSource redis, OrchestratorConfig config) {
        this.redis = redis;
        this.config = config;
    }

    /** The stream id the last poll of this session read up to, or null; fails with {@link FeedbackUnavailable}. */
    public Uni<String> get(UUID runId, String tester, String session) {
        return redis.value(String.class).get(FeedbackKeys.compatCursor(runId.toString(), tester, session))
                .onFailure().transform(FeedbackUnavailable::new);
    }

    public Uni<Void> set(UUID runId, String tester, String session, String cursor) {
        if (cursor == null) {
            return Uni.createFrom().voidItem();
        }
        return redis.value(String.class).setex(FeedbackKeys.compatCursor(runId.toString(), tester, session),
                config.feedbackRetention().toSeconds(), cursor).onFailure().transform(FeedbackUnavailable::new);
    }
}
