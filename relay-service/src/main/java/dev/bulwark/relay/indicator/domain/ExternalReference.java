package dev.bulwark.relay.indicator.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A link from an indicator to where it is described, in CTIM's shape. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExternalReference(@JsonProperty("source_name") String sourceName, String url, String description,
                                @JsonProperty("external_id") String externalId) {
}
