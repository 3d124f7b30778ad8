package dev.bulwark.relay.feed.domain;

/** The feed as a whole is not in the declared format (as opposed to single entries, which are rejected). */
class FeedSyntaxException extends RuntimeException {

    FeedSyntaxException(String message) {
        super(message);
    }
}
