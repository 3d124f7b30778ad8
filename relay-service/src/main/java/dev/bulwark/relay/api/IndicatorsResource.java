package dev.bulwark.relay.api;

import dev.bulwark.common.error.Invalid;
import dev.bulwark.common.security.Roles;
import dev.bulwark.relay.domain.IndicatorStore;
import dev.bulwark.relay.domain.IndicatorType;
import dev.bulwark.relay.domain.Normalized;
import dev.bulwark.relay.domain.Normalizer;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The relay's own view of the caller's organisation's indicators: every source's entry for one value. The refer
 * links point here.
 */
@Path("/api/v1/indicators")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.ADMIN, Roles.RELAY_CLIENT})
public class IndicatorsResource {

    private static final int MAX_RESULTS = 500;

    private final IndicatorStore store;
    private final JsonWebToken caller;

    IndicatorsResource(IndicatorStore store, JsonWebToken caller) {
        this.store = store;
        this.caller = caller;
    }

    /** Indicators stored under {@code value} (normalised first); {@code type} is inferred when absent. */
    @GET
    public List<IndicatorView> byValue(@QueryParam("value") String value, @QueryParam("type") String type) {
        if (value == null || value.isBlank()) {
            throw new Invalid("value is required");
        }
        IndicatorType indicatorType = type == null || type.isBlank() ? Normalizer.infer(value)
                : IndicatorType.ofObservable(type).orElseThrow(() -> new Invalid("type '" + type + "' is not stored"));
        Normalized normalized;
        try {
            normalized = Normalizer.normalize(indicatorType, value);
        } catch (IllegalArgumentException e) {
            throw new Invalid(e.getMessage());
        }
        return store.byValue(Organisations.of(caller), normalized, MAX_RESULTS).stream().map(IndicatorView::of)
                .toList();
    }
}
