package dev.bulwark.relay.indicator.domain;

/**
 * A value in the store's canonical form. {@code network} is the CIDR an ip/ipv6 value covers ({@code /32} or
 * {@code /128} for a single address) and null for every other type.
 */
public record Normalized(IndicatorType type, String value, String network) {
}
