package dev.bulwark.backbone.message.domain;

import dev.bulwark.backbone.client.domain.ClientRights;
import dev.bulwark.backbone.config.BackboneConfig;
import dev.bulwark.backbone.message.messaging.InboxBatch;
import dev.bulwark.backbone.message.messaging.InboxReader;
import dev.bulwark.backbone.message.messaging.InboxStream;
import dev.bulwark.common.error.Conflict;
import dev.bulwark.common.error.Invalid;
import dev.bulwark.common.error.Problem;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Reading one's own inbox: a client reads only the inbox of the identity in its token. */
@ApplicationScoped
public class Inboxes {

    private final ClientRights callers;
    private final InboxReader reader;
    private final InboxStream stream;
    private final BackboneConfig config;

    Inboxes(ClientRights callers, InboxReader reader, InboxStream stream, BackboneConfig config) {
        this.callers = callers;
        this.reader = reader;
        this.stream = stream;
        this.config = config;
    }

    public CompletionStage<InboxBatch> receive(String clientId, String orgId, int max, int waitSeconds) {
        if (max < 1 || max > config.receive().maxMessages()) {
            throw new Invalid("max is out of range", List.of(new Problem.FieldViolation("query.max",
                    "must be between 1 and " + config.receive().maxMessages())));
        }
        if (waitSeconds < 0 || waitSeconds > config.receive().maxWaitSeconds()) {
            throw new Invalid("wait is out of range", List.of(new Problem.FieldViolation("query.wait",
                    "must be between 0 and " + config.receive().maxWaitSeconds())));
        }
        readable(clientId, orgId);
        return reader.fetch(clientId, max, Duration.ofSeconds(waitSeconds));
    }

    public Multi<InboxStream.Streamed> stream(String clientId, String orgId, String lastEventId) {
        readable(clientId, orgId);
        return stream.open(clientId, lastEventId);
    }

    /** A client with a webhook has its inbox pushed; reading it as well would split and reorder its messages. */
    private void readable(String clientId, String orgId) {
        if (callers.of(clientId, orgId).webhook()) {
            throw new Conflict("Client '" + clientId + "' has a webhook: its messages are pushed, not read");
        }
    }
}
