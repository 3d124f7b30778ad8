package dev.bulwark.backbone.message.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.backbone.broker.messaging.Metrics;
import dev.bulwark.backbone.client.api.Callers;
import dev.bulwark.backbone.message.domain.Inboxes;
import dev.bulwark.backbone.message.domain.Messages;
import dev.bulwark.backbone.message.domain.ReadLimits;
import dev.bulwark.common.security.Roles;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.buffer.Buffer;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.RestMulti;

/** The client API: send, broadcast, and read one's own inbox. The caller is always the token's subject. */
@Path("/api/v1")
@RolesAllowed(Roles.BACKBONE_CLIENT)
public class MessageResource {

    private final Messages messages;
    private final Inboxes inboxes;
    private final Metrics metrics;
    private final ReadLimits limits;
    private final JsonWebToken caller;

    MessageResource(Messages messages, Inboxes inboxes, Metrics metrics, ReadLimits limits, JsonWebToken caller) {
        this.messages = messages;
        this.inboxes = inboxes;
        this.metrics = metrics;
        this.limits = limits;
        this.caller = caller;
    }

    public record SendRequest(@NotBlank String topic, @NotNull JsonNode payload, @Size(max = 200) String correlationId) {
    }

    /** At most {@code bulwark.backbone.publish.max-batch} messages. */
    public record BatchRequest(@NotEmpty List<@Valid @NotNull SendRequest> messages) {
    }

    public record NotifyRequest(@NotNull JsonNode payload, @Size(max = 200) String correlationId) {
    }

    @POST
    @Path("/send")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> send(@Valid @NotNull SendRequest request) {
        String sender = caller.getSubject();
        String org = Callers.org(caller);
        return onWorker(() -> messages.send(sender, org, List.of(outgoing(request))))
                .map(ids -> Response.accepted(Map.of("id", ids.get(0))).build());
    }

    @POST
    @Path("/send/batch")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> sendBatch(@Valid @NotNull BatchRequest request) {
        String sender = caller.getSubject();
        String org = Callers.org(caller);
        return onWorker(() -> messages.send(sender, org,
                request.messages().stream().map(MessageResource::outgoing).toList()))
                .map(ids -> Response.accepted(Map.of("ids", ids)).build());
    }

    @POST
    @Path("/notify")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> notify(@Valid @NotNull NotifyRequest request) {
        String sender = caller.getSubject();
        String org = Callers.org(caller);
        return onWorker(() -> messages.notify(sender, org, request.payload(), request.correlationId()))
                .map(id -> Response.accepted(Map.of("id", id)).build());
    }

    /**
     * The rights check and the publish may block (the registry on a cache miss, a socket write), so they run on a
     * worker thread; no thread waits for the broker's confirm, which completes the response on the request's event
     * loop. A failure (403, 400, 503 when not confirmed) is answered as a problem like any other.
     */
    private static <T> Uni<T> onWorker(Supplier<CompletionStage<T>> publish) {
        return Uni.createFrom().completionStage(publish).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /**
     * Up to {@code max} messages, long-polling {@code wait} seconds when the inbox is empty. The messages are
     * acknowledged only after the response body was written to the connection; a failed or cut response
     * leaves them in the inbox. A client holds at most {@code bulwark.backbone.receive.max-concurrent} receives open
     * at once (429 with Retry-After beyond).
     */
    @GET
    @Path("/receive")
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    public RestMulti<Buffer> receive(@QueryParam("max") @DefaultValue("10") int max,
                                     @QueryParam("wait") @DefaultValue("0") int wait) {
        String clientId = caller.getSubject();
        ReadLimits.Permit permit = limits.receive(clientId);
        Multi<Buffer> body;
        try {
            body = AckAfterWrite.body(inboxes.receive(clientId, Callers.org(caller), max, wait),
                    count -> metrics.delivered(clientId, "receive", count)).onTermination().invoke(permit::close);
        } catch (RuntimeException e) {
            permit.close();
            throw e;
        }
        return RestMulti.fromMultiData(body).status(200).encodeAsJsonArray(false)
                .header("Cache-Control", "no-store").build();
    }

    /** The inbox as Server-Sent Events ({@code event: message}, {@code id:} the message id), each acked once written. */
    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    public Multi<OutboundSseEvent> stream(@HeaderParam("Last-Event-ID") String lastEventId, @Context Sse sse) {
        String clientId = caller.getSubject();
        ReadLimits.Permit permit = limits.stream(clientId);
        try {
            return inboxes.stream(clientId, Callers.org(caller), lastEventId)
                    .onItem().invoke(m -> metrics.delivered(clientId, "stream", 1))
                    .map(m -> sse.newEventBuilder().name("message").id(m.id())
                            .mediaType(MediaType.TEXT_PLAIN_TYPE)
                            .data(new String(m.body(), StandardCharsets.UTF_8)).build())
                    .onTermination().invoke(permit::close);
        } catch (RuntimeException e) {
            permit.close();
            throw e;
        }
    }

    private static Messages.Outgoing outgoing(SendRequest request) {
        return new Messages.Outgoing(request.topic(), request.payload(), request.correlationId());
    }
}
