package dev.bulwark.relay.threatresponse.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.relay.indicator.domain.Indicators;
import dev.bulwark.relay.threatresponse.domain.RelayActions;
import dev.bulwark.relay.threatresponse.domain.RelayError;
import dev.bulwark.relay.threatresponse.domain.RelayException;
import dev.bulwark.relay.threatresponse.domain.RelayLookup;
import dev.bulwark.relay.threatresponse.domain.RelayReply;
import dev.bulwark.relay.threatresponse.domain.RelayTiles;
import io.quarkus.logging.Log;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The Threat Response relay API (see the module README). Every answer is HTTP 200 in the relay family's shape;
 * authentication is {@link RelayAuthenticated}'s, not the suite's, and errors never become problem documents.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class RelayResource {

    private final RelayCaller caller;
    private final RelayRequests requests;
    private final RelayLookup lookup;
    private final RelayActions actions;
    private final RelayTiles tiles;
    private final Indicators indicators;
    private final String version;

    RelayResource(RelayCaller caller, RelayRequests requests, RelayLookup lookup, RelayActions actions,
                  RelayTiles tiles, Indicators indicators,
                  @ConfigProperty(name = "quarkus.application.version") String version) {
        this.caller = caller;
        this.requests = requests;
        this.lookup = lookup;
        this.actions = actions;
        this.tiles = tiles;
        this.indicators = indicators;
        this.version = version;
    }

    @POST
    @Path("health")
    @RelayAuthenticated
    public RelayReply health() {
        return answer(() -> {
            try {
                indicators.ping();
            } catch (RuntimeException e) {
                Log.errorf(e, "Relay health check: the indicator store does not answer");
                throw new RelayException(RelayError.fatal(RelayError.SERVICE_UNAVAILABLE,
                        "The indicator store is unavailable"));
            }
            return RelayReply.of(Map.of("status", "ok"));
        });
    }

    @POST
    @Path("observe/observables")
    @RelayAuthenticated
    public RelayReply observe(String body) {
        return answer(() -> lookup.observe(requests.observables(body), caller.identity()));
    }

    @POST
    @Path("deliberate/observables")
    @RelayAuthenticated
    public RelayReply deliberate(String body) {
        return answer(() -> lookup.deliberate(requests.observables(body), caller.identity()));
    }

    @POST
    @Path("refer/observables")
    @RelayAuthenticated
    public RelayReply refer(String body) {
        return answer(() -> lookup.refer(requests.observables(body)));
    }

    @POST
    @Path("respond/observables")
    @RelayAuthenticated
    public RelayReply respondObservables(String body) {
        return answer(() -> actions.actions(requests.observables(body), caller.identity()));
    }

    @POST
    @Path("respond/trigger")
    @RelayAuthenticated
    public RelayReply trigger(String body) {
        return answer(() -> actions.trigger(requests.object(body, "action-id", "observable_type",
                "observable_value"), caller.identity()));
    }

    @POST
    @Path("tiles")
    @RelayAuthenticated
    public RelayReply tiles() {
        return answer(() -> RelayReply.of(tiles.tiles()));
    }

    @POST
    @Path("tiles/tile")
    @RelayAuthenticated
    public RelayReply tile(String body) {
        return answer(() -> RelayReply.of(tiles.tile(requests.object(body, "tile_id").path("tile_id").asText())));
    }

    @POST
    @Path("tiles/tile-data")
    @RelayAuthenticated
    public RelayReply tileData(String body) {
        return answer(() -> {
            JsonNode request = requests.object(body, "tile_id", "period");
            return RelayReply.of(tiles.data(request.path("tile_id").asText(), request.path("period").asText(),
                    caller.identity().org()));
        });
    }

    /** Needs no token, as in the relay template. */
    @POST
    @Path("version")
    public Map<String, String> version() {
        return Map.of("version", version);
    }

    /** Needs no token: echoes the {@code Health-Check} header. */
    @GET
    @Path("watchdog")
    public RelayReply watchdog(@HeaderParam("Health-Check") String healthCheck) {
        if (healthCheck == null || healthCheck.isEmpty()) {
            return RelayReply.failed(RelayError.fatal(RelayError.HEALTH_CHECK_FAILED, "Invalid Health Check"));
        }
        return RelayReply.of(healthCheck);
    }

    /** Answers relay errors in the relay shape; anything unexpected is logged once with a correlation id. */
    private static RelayReply answer(Supplier<RelayReply> call) {
        try {
            return call.get();
        } catch (RelayException e) {
            Log.debugf("Relay request refused: %s", e.getMessage());
            return RelayReply.failed(e.error());
        } catch (RuntimeException e) {
            String correlationId = UUID.randomUUID().toString();
            Log.errorf(e, "Unexpected relay error %s", correlationId);
            return RelayReply.failed(RelayError.fatal(RelayError.UNKNOWN,
                    "An unexpected error occurred; quote correlation id " + correlationId + " when reporting it"));
        }
    }
}
