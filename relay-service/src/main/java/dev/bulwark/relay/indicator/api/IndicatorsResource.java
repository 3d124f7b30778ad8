package dev.bulwark.relay.indicator.api;

import dev.bulwark.common.error.Invalid;
import dev.bulwark.common.security.Roles;
import dev.bulwark.relay.api.Organisations;
import dev.bulwark.relay.indicator.domain.IndicatorType;
import dev.bulwark.relay.indicator.domain.Indicators;
import dev.bulwark.relay.indicator.domain.Normalized;
import dev.bulwark.relay.indicator.domain.Normalizer;
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

    private final Indicators indicators;
    private final JsonWebToken caller;

    IndicatorsResource(Indicators indicators, JsonWebToken caller) {
        this.indicators = indicators;
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
        return indicators.byValue(Organisations.of(caller), normalized, MAX_RESULTS).stream().map(IndicatorView::of)
                .toList();
    }
}
