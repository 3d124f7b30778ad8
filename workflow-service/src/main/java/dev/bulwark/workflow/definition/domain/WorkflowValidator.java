package dev.bulwark.workflow.definition.domain;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.common.conditions.Conditions;
import dev.bulwark.common.error.Invalid;
import dev.bulwark.common.error.Problem.FieldViolation;
import dev.bulwark.workflow.app.domain.ActionSpec;
import dev.bulwark.workflow.app.domain.AppCatalog;
import dev.bulwark.workflow.app.domain.AppDefinition;
import dev.bulwark.workflow.app.domain.BuiltinApps;
import dev.bulwark.workflow.app.domain.ParameterSpec;
import dev.bulwark.workflow.config.EngineConfig;
import dev.bulwark.workflow.credential.domain.CredentialStore;
import dev.bulwark.workflow.definition.domain.WorkflowDocument.Action;
import dev.bulwark.workflow.definition.domain.WorkflowDocument.Branch;
import dev.bulwark.workflow.definition.domain.WorkflowDocument.Condition;
import dev.bulwark.workflow.definition.domain.WorkflowDocument.Trigger;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Checks a workflow document before it is saved and names every problem with the field it is in: unknown apps,
 * actions, parameters and credentials, missing required parameters, branches to missing nodes, unreachable nodes,
 * cycles, unknown references, invalid operators, templates and cron expressions.
 */
@ApplicationScoped
public class WorkflowValidator {

    public static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    /** Ticks of a schedule looked at for the shortest interval: enough to cover two firing minutes of any expression. */
    private static final int TICKS_CHECKED = 200;

    private final AppCatalog apps;
    private final CredentialStore credentials;
    private final Expressions expressions;
    private final Duration minScheduleInterval;

    WorkflowValidator(AppCatalog apps, CredentialStore credentials, Expressions expressions, EngineConfig config) {
        this.apps = apps;
        this.credentials = credentials;
        this.expressions = expressions;
        this.minScheduleInterval = config.limits().minScheduleInterval();
    }

    /** The document with every action of an added app pinned to a version: the one given, or the newest. */
    public WorkflowDocument pinAppVersions(UUID orgId, WorkflowDocument doc) {
        List<Action> pinned = new ArrayList<>(doc.actions().size());
        for (Action action : doc.actions()) {
            if (action == null || action.appVersion() != null || action.app() == null
                    || BuiltinApps.ALL.containsKey(action.app())) {
                pinned.add(action);
            } else {
                pinned.add(apps.find(orgId, action.app(), null).map(app -> action.withAppVersion(app.version()))
                        .orElse(action));
            }
        }
        return doc.withActions(pinned);
    }

    /** The compiled workflow, or {@link Invalid} listing every problem found. */
    public CompiledWorkflow validate(UUID orgId, WorkflowDocument doc) {
        return compile(orgId, doc, true);
    }

    /**
     * The compiled form of a document validated when it was saved, without the checks against the organisation's
     * current apps and credentials (a deleted credential fails the action that needs it, not the whole workflow).
     */
    public CompiledWorkflow compileSaved(UUID orgId, WorkflowDocument doc) {
        return compile(orgId, doc, false);
    }

    private CompiledWorkflow compile(UUID orgId, WorkflowDocument doc, boolean checkOrg) {
        List<FieldViolation> problems = new ArrayList<>();
        Map<String, Action> byId = new LinkedHashMap<>();
        for (int i = 0; i < doc.actions().size(); i++) {
            Action action = doc.actions().get(i);
            if (byId.putIfAbsent(action.id(), action) != null) {
                problems.add(at("actions[" + i + "].id", "action id '" + action.id() + "' is used twice"));
            }
        }
        if (!byId.containsKey(doc.start())) {
            problems.add(at("start", "start node '" + doc.start() + "' is not an action of the workflow"));
        }
        Map<String, List<Branch>> incoming = new HashMap<>();
        Map<String, List<String>> outgoing = new HashMap<>();
        List<Branch> branches = doc.branchesOrEmpty();
        for (int j = 0; j < branches.size(); j++) {
            Branch branch = branches.get(j);
            boolean known = true;
            if (!byId.containsKey(branch.source())) {
                problems.add(at("branches[" + j + "].source", "branch from a missing node '" + branch.source() + "'"));
                known = false;
            }
            if (!byId.containsKey(branch.destination())) {
                problems.add(at("branches[" + j + "].destination",
                        "branch to a missing node '" + branch.destination() + "'"));
                known = false;
            }
            if (known) {
                incoming.computeIfAbsent(branch.destination(), k -> new ArrayList<>()).add(branch);
                outgoing.computeIfAbsent(branch.source(), k -> new ArrayList<>()).add(branch.destination());
            }
        }
        List<Action> order = topologicalOrder(byId, incoming, outgoing, problems);
        if (byId.containsKey(doc.start())) {
            Set<String> reachable = reachable(doc.start(), outgoing);
            for (int i = 0; i < doc.actions().size(); i++) {
                if (!reachable.contains(doc.actions().get(i).id())) {
                    problems.add(at("actions[" + i + "]", "action '" + doc.actions().get(i).id()
                            + "' is unreachable from start node '" + doc.start() + "'"));
                }
            }
        }
        Map<String, Set<String>> upstream = new HashMap<>();
        byId.keySet().forEach(id -> upstream.put(id, upstream(id, incoming)));
        Set<String> looping = new HashSet<>();
        for (int i = 0; i < doc.actions().size(); i++) {
            Action action = doc.actions().get(i);
            checkAction(orgId, doc, action, "actions[" + i + "]", byId, upstream.getOrDefault(action.id(), Set.of()),
                    checkOrg, problems);
            if (action.parameters() != null && Expressions.loops(action.parameters())) {
                looping.add(action.id());
            }
        }
        for (int j = 0; j < branches.size(); j++) {
            Branch branch = branches.get(j);
            List<Condition> conditions = branch.conditions() == null ? List.of() : branch.conditions();
            Set<String> visible = new HashSet<>(upstream.getOrDefault(branch.source(), Set.of()));
            visible.add(branch.source());
            for (int k = 0; k < conditions.size(); k++) {
                Condition condition = conditions.get(k);
                String field = "branches[" + j + "].conditions[" + k + "]";
                if (!Conditions.OPERATORS.contains(condition.operator())) {
                    problems.add(at(field + ".operator", "invalid condition operator '" + condition.operator()
                            + "'; use one of " + Conditions.OPERATORS));
                }
                checkReferences(doc, condition.left(), field + ".left", byId, visible, false, problems);
                checkReferences(doc, condition.right(), field + ".right", byId, visible, false, problems);
            }
        }
        checkTriggers(doc.triggersOrEmpty(), checkOrg, problems);
        if (!problems.isEmpty()) {
            throw new Invalid("The workflow is invalid: " + problems.get(0).field() + ": " + problems.get(0).message()
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""), problems);
        }
        return new CompiledWorkflow(doc, order, byId, incoming, looping);
    }

    private void checkAction(UUID orgId, WorkflowDocument doc, Action action, String field, Map<String, Action> byId,
                             Set<String> upstream, boolean checkOrg, List<FieldViolation> problems) {
        Map<String, JsonNode> parameters = action.parameters() == null ? Map.of() : action.parameters();
        parameters.forEach((name, value) -> checkReferences(doc, value, field + ".parameters." + name, byId, upstream,
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

    private void checkReferences(WorkflowDocument doc, JsonNode value, String field, Map<String, Action> byId,
                                 Set<String> visible, boolean loopsAllowed, List<FieldViolation> problems) {
        for (Reference ref : Expressions.references(value)) {
            if (ref.root().equals(Reference.VARS)) {
                if (ref.path().isEmpty() || !doc.variablesOrEmpty().containsKey(ref.path().get(0))) {
                    problems.add(at(field, "unknown reference '" + ref.text() + "': no such workflow variable"));
                }
            } else if (ref.isAction()) {
                if (!byId.containsKey(ref.root())) {
                    problems.add(at(field, "unknown reference '" + ref.text() + "': no action '" + ref.root() + "'"));
                } else if (!visible.contains(ref.root())) {
                    problems.add(at(field, "reference '" + ref.text() + "': action '" + ref.root()
                            + "' does not run before this point"));
                }
            }
            if (ref.loops() && !loopsAllowed) {
                problems.add(at(field, "reference '" + ref.text() + "': loops ('#') are for action parameters"));
            }
        }
        collectTemplateErrors(value, field, problems);
    }

    private void collectTemplateErrors(JsonNode value, String field, List<FieldViolation> problems) {
        if (value == null) {
            return;
        }
        if (value.isTextual()) {
            String error = expressions.templateError(value.asText());
            if (error != null) {
                problems.add(at(field, "invalid Liquid template: " + error));
            }
        } else {
            value.forEach(child -> collectTemplateErrors(child, field, problems));
        }
    }

    private void checkTriggers(List<Trigger> triggers, boolean saving, List<FieldViolation> problems) {
        int webhooks = 0;
        for (int t = 0; t < triggers.size(); t++) {
            Trigger trigger = triggers.get(t);
            if ("webhook".equals(trigger.type()) && ++webhooks > 1) {
                problems.add(at("triggers[" + t + "]", "a workflow has at most one webhook"));
            }
            if ("schedule".equals(trigger.type())) {
                if (trigger.cron() == null || trigger.cron().isBlank()) {
                    problems.add(at("triggers[" + t + "].cron", "a schedule needs a cron expression"));
                } else {
                    try {
                        Cron cron = CRON.parse(trigger.cron()).validate();
                        Duration shortest = saving ? shortestInterval(cron) : null;
                        if (shortest != null && shortest.compareTo(minScheduleInterval) < 0) {
                            problems.add(at("triggers[" + t + "].cron", "'" + trigger.cron() + "' fires "
                                    + shortest.toSeconds() + " s apart; schedules may fire at most every "
                                    + minScheduleInterval.toSeconds()
                                    + " s (bulwark.workflow.limits.min-schedule-interval)"));
                        }
                    } catch (IllegalArgumentException e) {
                        problems.add(at("triggers[" + t + "].cron", "invalid cron expression '" + trigger.cron()
                                + "': " + e.getMessage()));
                    }
                }
            }
        }
    }

    /**
     * The shortest time between consecutive ticks among the next {@link #TICKS_CHECKED}: every firing minute fires at
     * all its seconds, so sub-minute gaps show within two firing minutes; null when it fires less than twice.
     */
    private static Duration shortestInterval(Cron cron) {
        ExecutionTime times = ExecutionTime.forCron(cron);
        Optional<ZonedDateTime> previous = times.nextExecution(ZonedDateTime.now(ZoneOffset.UTC));
        Duration shortest = null;
        for (int i = 0; i < TICKS_CHECKED && previous.isPresent(); i++) {
            Optional<ZonedDateTime> next = times.nextExecution(previous.get());
            if (next.isEmpty()) {
                break;
            }
            Duration gap = Duration.between(previous.get(), next.get());
            shortest = shortest == null || gap.compareTo(shortest) < 0 ? gap : shortest;
            previous = next;
        }
        return shortest;
    }

    private static List<Action> topologicalOrder(Map<String, Action> byId, Map<String, List<Branch>> incoming,
                                                 Map<String, List<String>> outgoing, List<FieldViolation> problems) {
        Map<String, Integer> pending = new HashMap<>();
        byId.keySet().forEach(id -> pending.put(id, incoming.getOrDefault(id, List.of()).size()));
        Deque<String> ready = new ArrayDeque<>();
        byId.keySet().stream().filter(id -> pending.get(id) == 0).forEach(ready::add);
        List<Action> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            String id = ready.poll();
            order.add(byId.get(id));
            for (String next : outgoing.getOrDefault(id, List.of())) {
                if (pending.merge(next, -1, Integer::sum) == 0) {
                    ready.add(next);
                }
            }
        }
        if (order.size() < byId.size()) {
            List<String> cyclic = byId.keySet().stream().filter(id -> pending.get(id) > 0).toList();
            problems.add(at("branches", "branches form a cycle through " + cyclic));
        }
        return order;
    }

    private static Set<String> reachable(String start, Map<String, List<String>> outgoing) {
        Set<String> seen = new HashSet<>(Set.of(start));
        Deque<String> todo = new ArrayDeque<>(List.of(start));
        while (!todo.isEmpty()) {
            for (String next : outgoing.getOrDefault(todo.poll(), List.of())) {
                if (seen.add(next)) {
                    todo.add(next);
                }
            }
        }
        return seen;
    }

    private static Set<String> upstream(String id, Map<String, List<Branch>> incoming) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(id));
        while (!todo.isEmpty()) {
            for (Branch branch : incoming.getOrDefault(todo.poll(), List.of())) {
                if (seen.add(branch.source())) {
                    todo.add(branch.source());
                }
            }
        }
        return seen;
    }

    private static FieldViolation at(String field, String message) {
        return new FieldViolation(field, message);
    }
}
