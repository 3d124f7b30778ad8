package dev.bulwark.backbone.message.messaging;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import dev.bulwark.backbone.broker.messaging.BrokerConnection;
import dev.bulwark.backbone.broker.messaging.Channels;
import dev.bulwark.backbone.broker.messaging.Names;
import dev.bulwark.backbone.client.domain.InboxClosing;
import dev.bulwark.backbone.client.domain.WebhookChanged;
import dev.bulwark.backbone.config.BackboneConfig;
import dev.bulwark.common.error.Unavailable;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Takes batches of messages from a client's inbox for receive, long-polling when it is empty. Each client that
 * receives on this replica has one {@link InboxSession}: a consumer kept attached while receives keep coming (and
 * {@code receive.keep-consumer} after the last), so a receive costs no AMQP round trip once the session is open.
 */
@ApplicationScoped
public class InboxReader {

    /** How long a receive without {@code wait} waits for messages it counted but that another reader may take. */
    private static final Duration EMPTY_GRACE = Duration.ofMillis(200);

    private final BrokerConnection broker;
    private final BackboneConfig config;
    private final Vertx vertx;
    private final Map<String, InboxSession> sessions = new ConcurrentHashMap<>();

    InboxReader(BrokerConnection broker, BackboneConfig config, Vertx vertx) {
        this.broker = broker;
        this.config = config;
        this.vertx = vertx;
    }

    /**
     * Up to {@code max} messages: those waiting now, or else the first to arrive within {@code wait} plus those
     * arriving right behind it. The batch completes on a broker or timer thread, never blocking the caller.
     */
    public CompletionStage<InboxBatch> fetch(String clientId, int max, Duration wait) {
        return CompletableFuture.supplyAsync(() -> batch(clientId, max, wait), Infrastructure.getDefaultWorkerPool())
                .thenCompose(batch -> batch.ready);
    }

    private InboxBatch batch(String clientId, int max, Duration wait) {
        while (true) {
            InboxSession session = sessions.get(clientId);
            if (session == null) {
                session = open(clientId);
                InboxSession raced = sessions.putIfAbsent(clientId, session);
                if (raced != null) {
                    session.close();
                    session = raced;
                }
            }
            InboxBatch batch = session.fetch(max, wait);
            if (batch != null) {
                return batch;
            }
            sessions.remove(clientId, session);
        }
    }

    /** Attaches a consumer with a prefetch of the largest receive; counting first costs one round trip per session. */
    private InboxSession open(String clientId) {
        Channel channel = null;
        try {
            channel = broker.get().createChannel();
            String inbox = Names.inbox(clientId);
            int prefetch = config.receive().maxMessages();
            long waiting = channel.queueDeclarePassive(inbox).getMessageCount();
            channel.basicQos(prefetch);
            InboxSession[] self = new InboxSession[1];
            InboxSession session = new InboxSession(channel, inbox, vertx, config.receive().linger(),
                    config.receive().keepConsumer(), EMPTY_GRACE, Math.min(prefetch, waiting),
                    () -> sessions.remove(clientId, self[0]));
            self[0] = session;
            session.consume("receive-" + UUID.randomUUID());
            return session;
        } catch (IOException | ShutdownSignalException e) {
            Channels.closeQuietly(channel);
            throw new Unavailable("RabbitMQ could not read the inbox", e);
        }
    }

    /** A client that gets (or loses) a webhook lets go of its inbox here at once: a push loop consumes it alone. */
    void onWebhookChanged(@Observes WebhookChanged changed) {
        InboxSession session = sessions.get(changed.clientId());
        if (session != null) {
            session.close();
        }
    }

    /** A client being deleted: the messages held here go back to its inbox before they are counted. */
    void onInboxClosing(@Observes InboxClosing closing) {
        InboxSession session = sessions.get(closing.clientId());
        if (session != null) {
            session.closeAndWait();
        }
    }

    @PreDestroy
    void close() {
        List.copyOf(sessions.values()).forEach(InboxSession::close);
    }
}
