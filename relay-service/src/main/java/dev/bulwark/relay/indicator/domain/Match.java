package dev.bulwark.relay.indicator.domain;

/** A stored indicator answering an observable, with the reason in words. */
public record Match(Indicator indicator, String reason) {
}
