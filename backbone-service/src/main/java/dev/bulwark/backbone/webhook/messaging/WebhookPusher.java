package dev.bulwark.backbone.webhook.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import dev.bulwark.backbone.broker.messaging.BrokerConnection;
import dev.bulwark.backbone.broker.messaging.Channels;
import dev.bulwark.backbone.broker.messaging.MessageTracing;
import dev.bulwark.backbone.broker.messaging.Names;
import dev.bulwark.backbone.client.domain.Clients;
import dev.bulwark.backbone.client.domain.SecretBox;
import dev.bulwark.backbone.client.domain.WebhookChanged;
import dev.bulwark.backbone.config.BackboneConfig;
import dev.bulwark.common.egress.EgressPolicy;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pushes the inboxes of clients with a webhook to their URL. Each client has its own channel with prefetch 1 and
 * an exclusive consumer: the next message is handed over only once the previous one was delivered (2xx) or
 * dead-lettered by {@link WebhookDelivery}, which keeps each client's order, and one backbone replica pushes a
 * client at a time. A push loop follows its client's webhook changes and resumes by itself when it loses its
 * channel; {@link WebhookReconciler} starts the loops and restarts those that could not be resumed.
 */
@ApplicationScoped
public class WebhookPusher {

    /** First delay before a lost push loop is started again; it doubles up to the reconcile interval. */
    private static final Duration RESUME_BACKOFF = Duration.ofMillis(500);

    private final BrokerConnection broker;
    private final Clients clients;
    private final BackboneConfig config;
    private final SecretBox secrets;
    private final Vertx vertx;
    private final EgressPolicy egress;
    private final WebhookDelivery delivery;
    private final Map<String, Push> pushes = new ConcurrentHashMap<>();

    WebhookPusher(BrokerConnection broker, Clients clients, BackboneConfig config, SecretBox secrets, Vertx vertx,
                  EgressPolicy egress, WebhookDelivery delivery) {
        this.broker = broker;
        this.clients = clients;
        this.config = config;
        this.secrets = secrets;
        this.vertx = vertx;
        this.egress = egress;
        this.delivery = delivery;
    }

    void onWebhookChanged(@Observes WebhookChanged changed) {
        switch (changed.change()) {
            case REGISTERED -> start(changed.clientId());
            case CHANGED -> restart(changed.clientId());
            case REMOVED -> stop(changed.clientId());
        }
    }

    /** Whether the client has a push loop whose consumer still runs. */
    boolean pushing(String clientId) {
        Push running = pushes.get(clientId);
        return running != null && !running.stopped && running.channel.isOpen();
    }

    /**
     * Starts pushing the client's inbox if it has a webhook; a no-op otherwise.
     *
     * @return false when the broker refused (it is down, or another consumer holds the inbox): try again later
     */
    public synchronized boolean start(String clientId) {
        stop(clientId);
        Optional<Clients.Webhook> client = clients.webhook(clientId);
        if (client.isEmpty()) {
            return true;
        }
        Channel channel = null;
        try {
            channel = broker.get().createChannel();
            EgressPolicy policy = egress.forOrganisation(client.get().orgId());
            Push push = new Push(clientId, URI.create(client.get().url()),
                    secrets.decrypt(client.get().sealedSecret()), channel, delivery.client(policy));
            channel.basicQos(1);
            channel.basicConsume(Names.inbox(clientId), false, "webhook-" + clientId, false, true, Map.of(),
                    new DefaultConsumer(channel) {
                        @Override
                        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties,
                                                   byte[] body) {
                            delivery.deliver(push, envelope.getDeliveryTag(), properties.getMessageId(), body, 1,
                                    MessageTracing.context(properties));
                        }

                        @Override
                        public void handleShutdownSignal(String tag, ShutdownSignalException signal) {
                            if (!signal.isInitiatedByApplication()) {
                                lost(push, signal.getMessage());
                            }
                        }

                        @Override
                        public void handleCancel(String tag) {
                            lost(push, "the broker cancelled the consumer");
                        }
                    });
            pushes.put(clientId, push);
            Log.infof("Pushing the inbox of client %s to its webhook", clientId);
            return true;
        } catch (IOException | RuntimeException e) {
            Channels.closeQuietly(channel);
            Log.warnf("Cannot push the inbox of client %s yet (%s); retrying later", clientId, reason(e));
            return false;
        }
    }

    /**
     * The push loop lost its channel or consumer (connection lost, broker restarted, queue deleted): it stops —
     * its message in flight goes back to the inbox with the channel — and a new one is started as soon as the
     * broker lets it, retried with a backoff up to the reconcile interval.
     */
    private void lost(Push push, String why) {
        push.stopped = true;
        Log.warnf("Lost the push loop of client %s (%s); resuming", push.clientId, why);
        resumeLater(push.clientId, 1);
    }

    private void resumeLater(String clientId, int attempt) {
        long delay = Math.min(config.webhook().reconcileInterval().toMillis(),
                RESUME_BACKOFF.toMillis() * (1L << Math.min(attempt - 1, 16)));
        vertx.setTimer(delay, id -> Infrastructure.getDefaultWorkerPool().execute(() -> resume(clientId, attempt)));
    }

    private synchronized void resume(String clientId, int attempt) {
        if (pushing(clientId)) {
            return;
        }
        if (!start(clientId)) {
            resumeLater(clientId, attempt + 1);
        }
    }

    private static String reason(Throwable e) {
        Throwable cause = e;
        while (cause.getMessage() == null && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    public synchronized void restart(String clientId) {
        if (!start(clientId)) {
            resumeLater(clientId, 1);
        }
    }

    /** Stops pushing; the message in flight, if any, returns to the inbox. */
    public synchronized void stop(String clientId) {
        Push push = pushes.remove(clientId);
        if (push != null) {
            push.stopped = true;
            Channels.closeQuietly(push.channel);
        }
    }

    /** Stops every push loop (at shutdown). */
    void stopAll() {
        pushes.keySet().forEach(this::stop);
    }
}

