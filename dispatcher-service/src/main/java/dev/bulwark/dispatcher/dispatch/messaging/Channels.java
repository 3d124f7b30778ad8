package dev.bulwark.dispatcher.dispatch.messaging;

/** Channel names; their topics, group and client settings are in {@code application.properties}. */
public final class Channels {

    /** Input: the topics of {@code bulwark.dispatcher.topics}. */
    public static final String OBSERVATION = "observation";
    /** Dead letters: the topic of {@code bulwark.dispatcher.errors-topic}. */
    public static final String ERRORS = "errors";
    /** Answers of {@code lookup_observables}; each record names its own topic ({@code values.replyTopic}). */
    public static final String REPLIES = "replies";

    private Channels() {
    }
}
