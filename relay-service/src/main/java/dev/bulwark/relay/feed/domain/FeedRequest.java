package dev.bulwark.relay.feed.domain;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A feed to pull on a schedule: {@code url} is {@code https:} (or {@code file:} under the configured root),
 * {@code format} one of stix, misp, csv; {@code intervalSeconds} defaults to 3600.
 */
public record FeedRequest(@NotBlank @Size(max = 200) String name,
                          @NotBlank @Size(max = 2048) String url,
                          @NotBlank @Pattern(regexp = "(?i)stix|misp|csv", message = "must be stix, misp or csv")
                          String format,
                          @Min(1) @Max(5) Integer disposition,
                          @Min(1) @Max(604800) Integer intervalSeconds) {
}
