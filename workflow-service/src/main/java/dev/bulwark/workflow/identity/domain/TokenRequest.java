package dev.bulwark.workflow.identity.domain;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.bulwark.workflow.security.Redacted;

/** A token request as OAuth 2 spells it, whether it came as a form or as JSON. */
public record TokenRequest(@JsonProperty("grant_type") String grantType,
                           String username,
                           String password,
                           String org,
                           @JsonProperty("client_id") String clientId,
                           @JsonProperty("client_secret") String clientSecret,
                           @JsonProperty("api_key") String apiKey) {

    @Override
    public String toString() {
        return "TokenRequest[grantType=" + grantType + ", username=" + username + ", password=" + Redacted.of(password)
                + ", org=" + org + ", clientId=" + clientId + ", clientSecret=" + Redacted.of(clientSecret)
                + ", apiKey=" + Redacted.of(apiKey) + "]";
    }

    /** The same request with client credentials taken from an HTTP Basic header where the body has none. */
    public TokenRequest withClient(String clientId, String clientSecret) {
        return new TokenRequest(grantType, username, password, org,
                this.clientId == null ? clientId : this.clientId,
                this.clientSecret == null ? clientSecret : this.clientSecret, apiKey);
    }
}
