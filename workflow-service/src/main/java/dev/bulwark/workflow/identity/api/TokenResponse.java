package dev.bulwark.workflow.identity.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The OAuth 2 token response. */
public record TokenResponse(@JsonProperty("access_token") String accessToken,
                            @JsonProperty("token_type") String tokenType,
                            @JsonProperty("expires_in") long expiresIn) {

    @Override
    public String toString() {
        return "TokenResponse[accessToken=<redacted>, tokenType=" + tokenType + ", expiresIn=" + expiresIn + "]";
    }
}
