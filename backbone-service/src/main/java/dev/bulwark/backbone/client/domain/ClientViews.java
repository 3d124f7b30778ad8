package dev.bulwark.backbone.client.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.bulwark.backbone.client.persistence.Client;
import dev.bulwark.common.security.Redacted;
import java.time.Instant;
import java.util.List;

/** What the admin API shows of clients. Secrets appear only in the answer that created them. */
public final class ClientViews {

    private ClientViews() {
    }

    /** A client's webhook; {@code secret} is set only in the answer that generated it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Webhook(String url, String secret) {
        @Override
        public String toString() {
            return "Webhook[url=" + url + ", secret=" + Redacted.of(secret) + "]";
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record View(String clientId, String name, List<String> subscriptions, List<String> publish,
                       boolean broadcast, Webhook webhook, Instant createdAt, Instant updatedAt) {

        static View of(Client client, String newWebhookSecret) {
            return new View(client.clientId, client.name, List.copyOf(client.subscriptions),
                    List.copyOf(client.publishRights), client.broadcast,
                    client.hasWebhook() ? new Webhook(client.webhookUrl, newWebhookSecret) : null,
                    client.createdAt, client.updatedAt);
        }
    }

    /** The answer to a registration: the view plus the client secret, shown this once. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Registered(String clientId, String secret, String name, List<String> subscriptions,
                             List<String> publish, boolean broadcast, Webhook webhook, Instant createdAt) {
        @Override
        public String toString() {
            return "Registered[clientId=" + clientId + ", secret=" + Redacted.of(secret) + ", name=" + name
                    + ", subscriptions=" + subscriptions + ", publish=" + publish + ", broadcast=" + broadcast
                    + ", webhook=" + webhook + ", createdAt=" + createdAt + "]";
        }
    }

    /** A new client secret, shown this once. */
    public record Secret(String clientId, String secret) {
        @Override
        public String toString() {
            return "Secret[clientId=" + clientId + ", secret=" + Redacted.of(secret) + "]";
        }
    }
}
