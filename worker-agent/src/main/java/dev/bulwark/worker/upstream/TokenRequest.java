package dev.bulwark.worker.upstream;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /api/v1/auth/token} with {@code grant_type=client_credentials}. */
public record TokenRequest(@JsonProperty("grant_type") String grantType,
                           @JsonProperty("client_id") String clientId,
                           @JsonProperty("client_secret") String clientSecret) {

    static TokenRequest clientCredentials(String clientId, String clientSecret) {
        return new TokenRequest("client_credentials", clientId, clientSecret);
    }

    @Override
    public String toString() {
        return "client_credentials for " + clientId;
    }
}
