package dev.bulwark.backbone.client.api;

import dev.bulwark.backbone.client.domain.ClientSpec;
import dev.bulwark.backbone.client.domain.ClientViews;
import dev.bulwark.backbone.client.domain.Clients;
import dev.bulwark.common.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Admin API of the client registry, scoped to the admin's organisation. */
@Path("/api/v1/clients")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class ClientResource {

    private static final int MAX_PATTERNS = 100;

    private final Clients clients;
    private final JsonWebToken caller;

    ClientResource(Clients clients, JsonWebToken caller) {
        this.clients = clients;
        this.caller = caller;
    }

    public record WebhookRequest(@NotBlank @Size(max = 2000) String url) {
    }

    public record CreateClient(@NotBlank @Size(max = 200) String name,
                               @NotNull @Size(max = MAX_PATTERNS) List<@NotBlank String> subscriptions,
                               @Size(max = MAX_PATTERNS) List<@NotBlank String> publish,
                               Boolean broadcast,
                               @Valid WebhookRequest webhook) {
    }

    /** PUT replaces all of these (absent means empty, false or no webhook); PATCH changes the ones present. */
    public record UpdateClient(@Size(max = MAX_PATTERNS) List<@NotBlank String> subscriptions,
                               @Size(max = MAX_PATTERNS) List<@NotBlank String> publish,
                               Boolean broadcast,
                               @Valid WebhookRequest webhook) {

        ClientSpec spec() {
            return new ClientSpec(subscriptions, publish, broadcast, webhook == null ? null : webhook.url());
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(@Valid @NotNull CreateClient request, UriInfo uri) {
        ClientViews.Registered created = clients.register(caller.getRawToken(), Callers.org(caller), request.name(),
                new ClientSpec(request.subscriptions(), request.publish(), request.broadcast(),
                        request.webhook() == null ? null : request.webhook().url()));
        return Response.created(uri.getAbsolutePathBuilder().path(created.clientId()).build()).entity(created)
                .build();
    }

    @GET
    public List<ClientViews.View> list() {
        return clients.list(Callers.org(caller));
    }

    @GET
    @Path("/{clientId}")
    public ClientViews.View get(@PathParam("clientId") String clientId) {
        return clients.get(Callers.org(caller), clientId);
    }

    @PUT
    @Path("/{clientId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public ClientViews.View replace(@PathParam("clientId") String clientId, @Valid @NotNull UpdateClient request) {
        return clients.update(Callers.org(caller), clientId, request.spec(), true);
    }

    @PATCH
    @Path("/{clientId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public ClientViews.View patch(@PathParam("clientId") String clientId, @Valid @NotNull UpdateClient request) {
        return clients.update(Callers.org(caller), clientId, request.spec(), false);
    }

    /** Deletes the client after waiting up to {@code drainSeconds} for its inbox to empty. */
    @DELETE
    @Path("/{clientId}")
    public Map<String, Object> delete(@PathParam("clientId") String clientId,
                                      @QueryParam("drainSeconds") @DefaultValue("0") @Min(0) @Max(300)
                                      int drainSeconds) {
        long left = clients.delete(caller.getRawToken(), Callers.org(caller), clientId,
                Duration.ofSeconds(drainSeconds));
        return Map.of("clientId", clientId, "undelivered", left);
    }

    @POST
    @Path("/{clientId}/rotate-secret")
    public ClientViews.Secret rotateSecret(@PathParam("clientId") String clientId) {
        return clients.rotateSecret(caller.getRawToken(), Callers.org(caller), clientId);
    }

    @POST
    @Path("/{clientId}/webhook/rotate-secret")
    public ClientViews.View rotateWebhookSecret(@PathParam("clientId") String clientId) {
        return clients.rotateWebhookSecret(Callers.org(caller), clientId);
    }

    @DELETE
    @Path("/{clientId}/webhook")
    public ClientViews.View removeWebhook(@PathParam("clientId") String clientId) {
        return clients.removeWebhook(Callers.org(caller), clientId);
    }
}
