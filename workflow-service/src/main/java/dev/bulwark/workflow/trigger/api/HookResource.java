package dev.bulwark.workflow.trigger.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.bulwark.workflow.execution.domain.Executions;
import dev.bulwark.workflow.trigger.domain.Hooks;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Webhook triggers: authenticated by the hook's own secret (header {@code X-Bulwark-Hook-Secret}, or a signature
 * {@code X-Bulwark-Signature: sha256=<hex HMAC-SHA256 of timestamp + "." + body>} with {@code X-Bulwark-Timestamp}),
 * not by a token. The body becomes the execution argument: parsed when it is JSON, as text otherwise.
 */
@Path("/api/v1/hooks")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class HookResource {

    private final Hooks hooks;
    private final ObjectMapper json;

    HookResource(Hooks hooks, ObjectMapper json) {
        this.hooks = hooks;
        this.json = json;
    }

    @POST
    @Path("/{hookId}")
    @Consumes(MediaType.WILDCARD)
    public Response fire(@PathParam("hookId") UUID hookId, byte[] body,
                         @HeaderParam("X-Bulwark-Hook-Secret") String secret,
                         @HeaderParam("X-Bulwark-Signature") String signature,
                         @HeaderParam("X-Bulwark-Timestamp") String timestamp) {
        byte[] bytes = body == null ? new byte[0] : body;
        Executions.Started started = hooks.fire(hookId, bytes, argument(bytes), secret, signature, timestamp);
        return Response.accepted(started).build();
    }

    private JsonNode argument(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return TextNode.valueOf(new String(body, StandardCharsets.UTF_8));
        }
    }
}
