package dev.bulwark.worker.upstream;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A token of the issuer, valid for {@code expiresIn} seconds. */
public record TokenResponse(@JsonProperty("access_token") String accessToken,
                            @JsonProperty("token_type") String tokenType,
                            @JsonProperty("expires_in") long expiresIn) {

    @Override
    public String toString() {
        return tokenType + " token for " + expiresIn + " s";
    }
}
