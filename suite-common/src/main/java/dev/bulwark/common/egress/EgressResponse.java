package dev.bulwark.common.egress;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;

/** A response read through {@link EgressHttp}: the last hop's status, headers and (bounded) body. */
public record EgressResponse(int status, HttpHeaders headers, byte[] body, URI uri) {

    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
