package dev.bulwark.relay.threatresponse.domain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.relay.auth.domain.RelayIdentity;
import dev.bulwark.relay.config.RelayConfig;
import dev.bulwark.relay.indicator.domain.IndicatorDraft;
import dev.bulwark.relay.indicator.domain.IndicatorType;
import dev.bulwark.relay.indicator.domain.Indicators;
import dev.bulwark.relay.indicator.domain.Normalized;
import dev.bulwark.relay.indicator.domain.Normalizer;
import dev.bulwark.relay.indicator.domain.Vocabulary;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The respond actions: {@code add-to-blocklist} and {@code mark-clean} write an indicator of the relay's own
 * source (Malicious or Clean) for the observable; triggering one again, or the other, updates that indicator.
 * Actions are offered only to callers allowed to write.
 */
@ApplicationScoped
public class RelayActions {

    public static final String ADD_TO_BLOCKLIST = "add-to-blocklist";
    public static final String MARK_CLEAN = "mark-clean";

    private final Indicators indicators;
    private final RelayConfig.Respond config;

    RelayActions(Indicators indicators, RelayConfig config) {
        this.indicators = indicators;
        this.config = config.respond();
    }

    public RelayReply actions(List<Observable> observables, RelayIdentity caller) {
        List<RelayError> warnings = new ArrayList<>();
        List<Map<String, Object>> actions = new ArrayList<>();
        for (Observable observable : observables) {
            Normalized value = RelayLookup.supported(observable, warnings);
            if (value == null || !caller.mayWrite()) {
                continue;
            }
            actions.add(action(ADD_TO_BLOCKLIST, "Add to Bulwark blocklist", "Store " + observable.value()
                    + " as a Malicious indicator of source " + config.source(), "Add to blocklist", observable));
            actions.add(action(MARK_CLEAN, "Mark clean in Bulwark", "Store " + observable.value()
                    + " as a Clean indicator of source " + config.source(), "Mark clean", observable));
        }
        RelayLookup.unsupportedWarnings(observables, warnings);
        return RelayReply.of(actions, warnings);
    }

    private static Map<String, Object> action(String id, String title, String description, String category,
                                              Observable observable) {
        Map<String, Object> action = new LinkedHashMap<>();
        action.put("id", id);
        action.put("title", title);
        action.put("description", description);
        action.put("categories", List.of("Bulwark", category));
        action.put("query-params", Map.of("observable_type", observable.type(), "observable_value",
                observable.value()));
        return action;
    }

    /** {@code {"action-id","observable_type","observable_value"}} → success, or failure with the reason. */
    public RelayReply trigger(JsonNode request, RelayIdentity caller) {
        String actionId = request.path("action-id").asText();
        int disposition;
        if (actionId.equals(ADD_TO_BLOCKLIST)) {
            disposition = Vocabulary.MALICIOUS;
        } else if (actionId.equals(MARK_CLEAN)) {
            disposition = Vocabulary.CLEAN;
        } else {
            return failure(RelayError.fatal(RelayError.INVALID_ARGUMENT, "Unsupported action-id '" + actionId + "'"));
        }
        if (!caller.mayWrite()) {
            return failure(RelayError.fatal(RelayError.PERMISSION_DENIED,
                    "Permission denied: this token may not trigger actions that write indicators"));
        }
        String type = request.path("observable_type").asText();
        Normalized value;
        try {
            value = Normalizer.normalize(IndicatorType.ofObservable(type).orElseThrow(
                    () -> new IllegalArgumentException("observable type '" + type + "' is not supported")),
                    request.path("observable_value").asText());
        } catch (IllegalArgumentException e) {
            return failure(RelayError.fatal(RelayError.INVALID_ARGUMENT, "Invalid observable: " + e.getMessage()));
        }
        indicators.write(caller.org(), List.of(new IndicatorDraft(value, disposition, "High",
                Vocabulary.severityOf(disposition), config.source(), List.of(actionId), Vocabulary.DEFAULT_TLP,
                "Set by " + caller.subject() + " through Threat Response action " + actionId, null, null, null,
                List.of(), List.of())), List.of());
        Log.infof("Respond action %s on a %s observable by %s", actionId, value.type().ctim(), caller.subject());
        return RelayReply.of(Map.of("status", "success"));
    }

    private static RelayReply failure(RelayError error) {
        return RelayReply.of(Map.of("status", "failure"), List.of(error));
    }
}
