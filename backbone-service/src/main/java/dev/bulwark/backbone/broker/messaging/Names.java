package dev.bulwark.backbone.broker.messaging;

/**
 * The backbone's exchanges and queues. Every organisation has exchanges of its own, and an inbox is bound only to
 * its client's organisation's exchanges, so no subscription pattern ({@code #} included) can reach across
 * organisations and a broadcast never leaves one.
 */
public final class Names {

    /** Direct exchange that inboxes dead-letter to, keyed by client id. */
    public static final String DLX = "bulwark.dlx";
    /** The topic broadcasts carry in their envelope, as the original backbone's {@code header.destination}. */
    public static final String BROADCAST_TOPIC = "broadcast";
    /** The exchanges every organisation shared before organisations had their own; removed at start. */
    public static final String SHARED_PUBLISH = "bulwark.publish";
    public static final String SHARED_BROADCAST = "bulwark.broadcast";

    private Names() {
    }

    /** Topic exchange of an organisation: its clients' sends, routed by topic to its inboxes. */
    public static String publish(String orgId) {
        return "bulwark.org." + orgId + ".publish";
    }

    /** Fanout exchange of an organisation: its clients' notifies, to every inbox of the organisation. */
    public static String broadcast(String orgId) {
        return "bulwark.org." + orgId + ".broadcast";
    }

    public static String inbox(String clientId) {
        return "bulwark.client." + clientId + ".inbox";
    }

    public static String deadLetters(String clientId) {
        return "bulwark.client." + clientId + ".dead";
    }
}
