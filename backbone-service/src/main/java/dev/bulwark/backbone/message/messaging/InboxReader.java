package dev.bulwark.backbone.message.messaging;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import dev.bulwark.backbone.broker.messaging.BrokerConnection;
import dev.bulwark.backbone.broker.messaging.Channels;
import dev.bulwark.backbone.broker.messaging.Names;
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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Takes batches of messages from a client's inbox for receive, long-polling when it is empty. Each client that
 * receives on this replica has one {@link InboxSession}, a consumer kept attached between its receives (closed
 * after {@code receive.session-idle} without one), so a receive costs no AMQP round trip.
 */
@ApplicationScoped
public class InboxReader {

    /** How long a receive without {@code wait} waits for messages it counted but that are still on their way. */
    private static final Duration EMPTY_GRACE = Duration.ofMillis(200);

    private final BrokerConnection broker;
    private final BackboneConfig config;
    private final Vertx vertx;
    private final Map<String, InboxSession> sessions = new ConcurrentHashMap<>();
    /** Per client: opening, replacing and closing its session happen one at a time. */
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final long sweeper;

    InboxReader(BrokerConnection broker, BackboneConfig config, Vertx vertx) {
        this.broker = broker;
        this.config = config;
        this.vertx = vertx;
        long idleMillis = Math.max(1, config.receive().sessionIdle().toMillis());
        this.sweeper = vertx.setPeriodic(Math.max(1, idleMillis / 2),
                id -> Infrastructure.getDefaultWorkerPool().execute(this::closeIdle));
    }

    /**
     * Up to {@code max} messages: those waiting now, or else the first to arrive within {@code wait} plus those
     * arriving right behind it. Opening the client's session may block, so call it on a worker thread; the batch
     * completes on the thread that has it (the session's consumer, a timer, or this one when it was buffered).
     */
    public CompletionStage<InboxBatch> fetch(String clientId, int max, Duration wait) {
        synchronized (lock(clientId)) {
            InboxSession session = sessions.get(clientId);
            if (session != null && session.isClosing()) {
                // Its messages must be back in the inbox before a new consumer may overtake them.
                session.closed.join();
                sessions.remove(clientId, session);
                session = null;
            }
            long waiting = -1;
            if (session == null) {
                Channel channel = null;
                try {
                    channel = broker.get().createChannel();
                    if (wait.isZero()) {
                        // Counted before the consumer starts: then the broker counts what it hands over as gone.
                        waiting = channel.queueDeclarePassive(Names.inbox(clientId)).getMessageCount();
                    }
                    session = InboxSession.open(channel, Names.inbox(clientId), config.receive().maxMessages(),
                            vertx, config.receive().linger());
                } catch (IOException | ShutdownSignalException e) {
                    Channels.closeQuietly(channel);
                    throw new Unavailable("RabbitMQ could not read the inbox", e);
                }
                sessions.put(clientId, session);
            } else if (wait.isZero() && session.nothingBuffered()) {
                waiting = waiting(session, clientId);
            }
            Duration patience = waiting > 0 ? EMPTY_GRACE : wait;
            return session.take(max, waiting, patience);
        }
    }

    /** Messages ready in the inbox, which the session may not have been handed yet (only asked without wait). */
    private static long waiting(InboxSession session, String clientId) {
        try {
            return session.waiting(Names.inbox(clientId));
        } catch (IOException | ShutdownSignalException e) {
            session.close();
            throw new Unavailable("RabbitMQ could not read the inbox", e);
        }
    }

    /**
     * A client that now has a webhook, or none, or is being deleted: this replica's session gives what it holds back
     * to the inbox, for the pusher or for the deletion's count.
     */
    void onWebhookChanged(@Observes WebhookChanged changed) {
        if (changed.change() != WebhookChanged.Change.REGISTERED) {
            close(changed.clientId(), session -> true);
        }
    }

    private void closeIdle() {
        Duration idle = config.receive().sessionIdle();
        for (String clientId : List.copyOf(sessions.keySet())) {
            close(clientId, session -> session.idleFor(idle));
        }
    }

    private void close(String clientId, Predicate<InboxSession> when) {
        synchronized (lock(clientId)) {
            InboxSession session = sessions.get(clientId);
            if (session != null && when.test(session)) {
                session.close();
                sessions.remove(clientId, session);
            }
        }
    }

    @PreDestroy
    void close() {
        vertx.cancelTimer(sweeper);
        for (String clientId : List.copyOf(sessions.keySet())) {
            close(clientId, session -> true);
        }
    }

    private Object lock(String clientId) {
        return locks.computeIfAbsent(clientId, id -> new Object());
    }
}
