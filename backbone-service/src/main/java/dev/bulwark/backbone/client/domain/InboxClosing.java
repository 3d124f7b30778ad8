package dev.bulwark.backbone.client.domain;

/**
 * Fired (synchronously) when a client is being deleted, once its inbox is unbound and before its remaining
 * messages are counted: readers holding messages of that inbox give them back, so the count sees them.
 */
public record InboxClosing(String clientId) {
}
