package dev.bulwark.dispatcher.dispatch.domain;

/**
 * Performs the side effect of one message type. A handler throws {@link dev.bulwark.common.error.Invalid} (or any
 * non-retryable {@link dev.bulwark.common.error.ProblemException}) for a message that can never succeed, and
 * {@link RetryableFailure} (or lets transport exceptions through) for one that may succeed later.
 */
public interface MessageHandler {

    /** The {@code message_type} this handler serves; it also names the schema under {@code schemas/messages/}. */
    String type();

    void handle(DispatchMessage message) throws Exception;
}
