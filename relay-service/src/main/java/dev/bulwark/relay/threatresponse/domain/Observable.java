package dev.bulwark.relay.threatresponse.domain;

/** A CTIM observable as Threat Response sends it. */
public record Observable(String type, String value) {
}
