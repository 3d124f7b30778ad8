package dev.bulwark.relay.feed.api;

import dev.bulwark.common.error.Invalid;
import dev.bulwark.common.security.Roles;
import dev.bulwark.relay.api.Organisations;
import dev.bulwark.relay.config.RelayConfig;
import dev.bulwark.relay.feed.domain.FeedFormat;
import dev.bulwark.relay.feed.domain.FeedImporter;
import dev.bulwark.relay.feed.domain.FeedRequest;
import dev.bulwark.relay.feed.domain.FeedService;
import dev.bulwark.relay.feed.domain.FeedView;
import dev.bulwark.relay.feed.domain.ImportTooLarge;
import dev.bulwark.relay.feed.domain.PullResult;
import dev.bulwark.relay.indicator.domain.ImportReport;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Feed imports and scheduled feeds of the caller's organisation (role {@code admin}). */
@Path("/api/v1/feeds")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class FeedsResource {

    private final FeedImporter importer;
    private final FeedService feeds;
    private final JsonWebToken caller;
    private final RelayConfig config;

    FeedsResource(FeedImporter importer, FeedService feeds, JsonWebToken caller, RelayConfig config) {
        this.importer = importer;
        this.feeds = feeds;
        this.caller = caller;
        this.config = config;
    }

    /** Imports one feed document given as the body, in the format named by {@code format}. */
    @POST
    @Path("import")
    @Consumes(MediaType.WILDCARD)
    public ImportReport importFeed(@QueryParam("format") String format, @QueryParam("source") String source,
                                   @QueryParam("disposition") Integer disposition, InputStream body)
            throws IOException {
        FeedFormat feedFormat = FeedFormat.of(format)
                .orElseThrow(() -> new Invalid("format must be stix, misp or csv"));
        return importer.importFeed(Organisations.of(caller), feedFormat, bounded(body), source, disposition);
    }

    /** The body as text, read no further than one byte past the limit. */
    private String bounded(InputStream body) throws IOException {
        long max = config.feeds().maxBytes();
        byte[] read = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        if (read.length > max) {
            throw new ImportTooLarge(max);
        }
        return new String(read, StandardCharsets.UTF_8);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Valid @NotNull FeedRequest request, UriInfo uri) {
        FeedView feed = feeds.create(Organisations.of(caller), request);
        return Response.created(uri.getAbsolutePathBuilder().path(feed.id().toString()).build()).entity(feed).build();
    }

    @GET
    public List<FeedView> list() {
        return feeds.list(Organisations.of(caller));
    }

    @GET
    @Path("{id}")
    public FeedView get(@PathParam("id") UUID id) {
        return feeds.get(Organisations.of(caller), id);
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") UUID id) {
        feeds.delete(Organisations.of(caller), id);
        return Response.noContent().build();
    }

    /** Pulls the feed now instead of waiting for its interval. */
    @POST
    @Path("{id}/pull")
    public PullResult pull(@PathParam("id") UUID id) {
        return feeds.pull(Organisations.of(caller), id);
    }
}
