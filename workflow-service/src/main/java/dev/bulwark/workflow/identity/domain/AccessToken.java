package dev.bulwark.workflow.identity.domain;

/** A signed access token and its lifetime in seconds. */
public record AccessToken(String token, long expiresInSeconds) {

    @Override
    public String toString() {
        return "AccessToken[token=<redacted>, expiresInSeconds=" + expiresInSeconds + "]";
    }
}
