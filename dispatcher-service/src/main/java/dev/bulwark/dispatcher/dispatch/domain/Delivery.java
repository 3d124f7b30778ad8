package dev.bulwark.dispatcher.dispatch.domain;

import java.util.concurrent.CompletionStage;

/**
 * One consumed record as the dispatcher sees it. The messaging layer decides what acknowledging it and writing its
 * dead letter mean on the wire (offsets, the error topic, headers).
 */
public interface Delivery {

    /** The record's value; {@code null} for a record without one. */
    String payload();

    /** The record's key, {@code null} when it has none. */
    String key();

    /** Where the record was read ({@code <topic>-<partition>-<offset>}): the id of a message without one. */
    String origin();

    /** Done with it: handled, dead-lettered or a duplicate. */
    CompletionStage<Void> ack();

    /** It could be neither handled nor dead-lettered. */
    void nack(Throwable failure);

    /** Completes once the dead letter is durably written. */
    CompletionStage<Void> deadLetter(DeadLetter letter);
}
