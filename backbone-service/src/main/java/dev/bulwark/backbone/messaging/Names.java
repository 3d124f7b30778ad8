package dev.bulwark.backbone.messaging;

/** The backbone's exchanges and queues, named as ARCHITECTURE.md fixes them. */
public final class Names {

    /** Topic exchange: every send, routed by topic to the inboxes whose subscriptions match. */
    public static final String PUBLISH = "bulwark.publish";
    /** Fanout exchange: every notify, to every inbox. */
    public static final String BROADCAST = "bulwark.broadcast";
    /** Direct exchange that inboxes dead-letter to, keyed by client id. */
    public static final String DLX = "bulwark.dlx";
    /** The topic broadcasts carry in their envelope, as the original backbone's {@code header.destination}. */
    public static final String BROADCAST_TOPIC = "broadcast";

    private Names() {
    }

    public static String inbox(String clientId) {
        return "bulwark.client." + clientId + ".inbox";
    }

    public static String deadLetters(String clientId) {
        return "bulwark.client." + clientId + ".dead";
    }
}
