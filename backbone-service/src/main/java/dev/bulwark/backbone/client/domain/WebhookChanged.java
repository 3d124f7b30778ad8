package dev.bulwark.backbone.client.domain;

/**
 * Fired (synchronously) when a client's webhook may have to be pushed, re-pushed or no longer pushed, so the
 * registry does not depend on the webhook feature that observes it.
 */
public record WebhookChanged(String clientId, Change change) {

    public enum Change {
        /** A new client: push its inbox if it has a webhook. */
        REGISTERED,
        /** Its webhook URL or secret changed: push again with the new ones. */
        CHANGED,
        /** Its webhook was removed or the client is being deleted: stop pushing. */
        REMOVED
    }
}
