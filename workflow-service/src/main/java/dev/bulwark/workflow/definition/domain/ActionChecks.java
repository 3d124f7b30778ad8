package dev.bulwark.workflow.definition.domain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.common.error.Problem.FieldViolation;
import dev.bulwark.workflow.app.domain.ActionSpec;
import dev.bulwark.workflow.app.domain.AppCatalog;
import dev.bulwark.workflow.app.domain.AppDefinition;
import dev.bulwark.workflow.app.domain.BuiltinApps;
import dev.bulwark.workflow.app.domain.ParameterSpec;
import dev.bulwark.workflow.credential.domain.CredentialStore;
import dev.bulwark.workflow.definition.domain.WorkflowDocument.Action;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Checks one action of a workflow document: the references in its parameters and, against the organisation's
 * current apps and credentials, its app, action, {@code runOn}, parameters (required, enumerated, unknown) and
 * credential.
 */
@ApplicationScoped
class ActionChecks {

    private final AppCatalog apps;
    private final CredentialStore credentials;
    private final ReferenceChecks references;

    ActionChecks(AppCatalog apps, CredentialStore credentials, ReferenceChecks references) {
        this.apps = apps;
        this.credentials = credentials;
        this.references = references;
    }

    void check(UUID orgId, WorkflowDocument doc, Action action, String field, Map<String, Action> byId,
               Set<String> upstream, boolean checkOrg, List<FieldViolation> problems) {
        Map<String, JsonNode> parameters = action.parameters() == null ? Map.of() : action.parameters();
        parameters.forEach((name, value) -> references.check(doc, value, field + ".parameters." + name, byId, upstream,
                true, problems));
        if (!checkOrg) {
            return;
        }
        Optional<AppDefinition> app = apps.find(orgId, action.app(), action.appVersion());
        if (app.isEmpty()) {
            problems.add(at(field + ".app", "unknown app '" + action.app() + "'"
                    + (action.appVersion() == null ? "" : " version " + action.appVersion())));
            return;
        }
        Optional<ActionSpec> spec = app.get().action(action.action());
        if (spec.isEmpty()) {
            problems.add(at(field + ".action", "app '" + action.app() + "' has no action '" + action.action()
                    + "'; it has " + app.get().actions().stream().map(ActionSpec::name).toList()));
            return;
        }
        if ("engine".equals(action.runOn()) && !BuiltinApps.runsInEngine(app.get(), action.action())) {
            problems.add(at(field + ".runOn", "the engine runs only the tools actions " + BuiltinApps.ENGINE_TOOLS
                    + "; " + action.app() + "." + action.action() + " runs on an agent"));
        }
        for (ParameterSpec parameter : spec.get().parameters()) {
            JsonNode value = parameters.get(parameter.name());
            if (parameter.required() && parameter.defaultValue() == null && (value == null || value.isNull())) {
                problems.add(at(field + ".parameters." + parameter.name(), "required parameter '" + parameter.name()
                        + "' of " + action.app() + "." + action.action() + " is missing"));
            }
            if (value != null && value.isTextual() && parameter.enumValues() != null
                    && Reference.in(value.asText()).isEmpty() && !Expressions.isTemplate(value.asText())
                    && !parameter.enumValues().contains(value.asText())) {
                problems.add(at(field + ".parameters." + parameter.name(), "'" + value.asText()
                        + "' is not one of " + parameter.enumValues()));
            }
        }
        for (String name : parameters.keySet()) {
            if (spec.get().parameter(name).isEmpty()) {
                problems.add(at(field + ".parameters." + name, "unknown parameter '" + name + "' of "
                        + action.app() + "." + action.action()));
            }
        }
        if (action.credential() != null) {
            checkCredential(orgId, action, app.get(), parameters, field, problems);
        }
    }

    /**
     * A credential belongs to one app, and for HTTP apps to a list of hosts: an action may use only a credential of
     * its own app, and an {@code http.request} URL known at save time must be one of the credential's hosts.
     */
    private void checkCredential(UUID orgId, Action action, AppDefinition app, Map<String, JsonNode> parameters,
                                 String field, List<FieldViolation> problems) {
        Optional<CredentialStore.Scope> scope = credentials.scope(orgId, action.credential());
        if (scope.isEmpty()) {
            problems.add(at(field + ".credential", "unknown credential '" + action.credential() + "'"));
            return;
        }
        if (!scope.get().app().equals(action.app())) {
            problems.add(at(field + ".credential", "credential '" + action.credential() + "' belongs to app '"
                    + scope.get().app() + "', not '" + action.app() + "'"));
            return;
        }
        String url = null;
        String urlField = field + ".parameters.url";
        if (AppDefinition.OPENAPI.equals(app.kind())) {
            url = app.serverUrl();
            urlField = field + ".app";
        } else if (BuiltinApps.HTTP.equals(app.name())) {
            JsonNode given = parameters.get("url");
            if (given != null && given.isTextual() && Reference.in(given.asText()).isEmpty()
                    && !Expressions.isTemplate(given.asText())) {
                url = given.asText();
            }
        }
        if (url != null && !scope.get().allowedHosts().allows(url)) {
            problems.add(at(urlField, CredentialStore.refusal(scope.get(), url)));
        }
    }

    private static FieldViolation at(String field, String message) {
        return new FieldViolation(field, message);
    }
}
