package dev.bulwark.workflow.identity.domain;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.bulwark.common.security.Redacted;

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

    /**
     * The same request with credentials taken from an HTTP Basic header where the body has none: client id and
     * secret, or for {@code grant_type=api_key} the key as the Basic password (so a stored credential that is only
     * a header, such as a workflow's http credential, can exchange a key for a token).
     */
    public TokenRequest withBasic(String basicUser, String basicPassword) {
        if ("api_key".equals(grantType)) {
            return new TokenRequest(grantType, username, password, org, clientId, clientSecret,
                    apiKey == null ? basicPassword : apiKey);
        }
        return new TokenRequest(grantType, username, password, org,
                clientId == null ? basicUser : clientId,
                clientSecret == null ? basicPassword : clientSecret, apiKey);
    }
}
