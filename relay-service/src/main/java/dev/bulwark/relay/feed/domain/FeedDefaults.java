package dev.bulwark.relay.feed.domain;

/** What the importer states for a whole feed: its source name and, when declared, the disposition to give. */
record FeedDefaults(String source, Integer disposition) {
}
