package dev.bulwark.workflow.definition.domain;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import dev.bulwark.common.conditions.Conditions;
import dev.bulwark.common.error.Invalid;
import dev.bulwark.common.error.Problem.FieldViolation;
import dev.bulwark.workflow.app.domain.AppCatalog;
import dev.bulwark.workflow.app.domain.BuiltinApps;
import dev.bulwark.workflow.definition.domain.WorkflowDocument.Action;
import dev.bulwark.workflow.definition.domain.WorkflowDocument.Branch;
import dev.bulwark.workflow.definition.domain.WorkflowDocument.Condition;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Checks a workflow document before it is saved and names every problem with the field it is in: unknown apps,
 * actions, parameters and credentials, missing required parameters ({@link ActionChecks}), branches to missing
 * nodes, unreachable nodes, cycles ({@link WorkflowGraph}), unknown references, invalid operators, templates
 * ({@link ReferenceChecks}) and cron expressions ({@link TriggerChecks}).
 */
@ApplicationScoped
public class WorkflowValidator {

    public static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    private final AppCatalog apps;
    private final ActionChecks actionChecks;
    private final ReferenceChecks references;
    private final TriggerChecks triggerChecks;

    WorkflowValidator(AppCatalog apps, ActionChecks actionChecks, ReferenceChecks references,
                      TriggerChecks triggerChecks) {
        this.apps = apps;
        this.actionChecks = actionChecks;
        this.references = references;
        this.triggerChecks = triggerChecks;
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
        WorkflowGraph graph = WorkflowGraph.of(doc, problems);
        Set<String> looping = new HashSet<>();
        for (int i = 0; i < doc.actions().size(); i++) {
            Action action = doc.actions().get(i);
            actionChecks.check(orgId, doc, action, "actions[" + i + "]", graph.byId(),
                    graph.upstream().getOrDefault(action.id(), Set.of()), checkOrg, problems);
            if (action.parameters() != null && Expressions.loops(action.parameters())) {
                looping.add(action.id());
            }
        }
        List<Branch> branches = doc.branchesOrEmpty();
        for (int j = 0; j < branches.size(); j++) {
            Branch branch = branches.get(j);
            List<Condition> conditions = branch.conditions() == null ? List.of() : branch.conditions();
            Set<String> visible = new HashSet<>(graph.upstream().getOrDefault(branch.source(), Set.of()));
            visible.add(branch.source());
            for (int k = 0; k < conditions.size(); k++) {
                Condition condition = conditions.get(k);
                String field = "branches[" + j + "].conditions[" + k + "]";
                if (!Conditions.OPERATORS.contains(condition.operator())) {
                    problems.add(new FieldViolation(field + ".operator", "invalid condition operator '"
                            + condition.operator() + "'; use one of " + Conditions.OPERATORS));
                }
                references.check(doc, condition.left(), field + ".left", graph.byId(), visible, false, problems);
                references.check(doc, condition.right(), field + ".right", graph.byId(), visible, false, problems);
            }
        }
        triggerChecks.check(doc.triggersOrEmpty(), checkOrg, problems);
        if (!problems.isEmpty()) {
            throw new Invalid("The workflow is invalid: " + problems.get(0).field() + ": " + problems.get(0).message()
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""), problems);
        }
        return new CompiledWorkflow(doc, graph.order(), graph.byId(), graph.incoming(), looping);
    }
}
