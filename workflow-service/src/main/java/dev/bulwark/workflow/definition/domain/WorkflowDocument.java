package dev.bulwark.workflow.definition.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/**
 * A workflow as users write, store, export and import it (workflow-service README, "The workflow document").
 * Actions are the nodes, branches the edges; {@code id} is an action's reference name.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkflowDocument(@NotBlank @Size(max = 200) String name, @Size(max = 4000) String description,
                               @NotBlank String start, boolean exitOnError, Map<String, JsonNode> variables,
                               @NotEmpty @Size(max = 500) List<@Valid @NotNull Action> actions,
                               List<@Valid @NotNull Branch> branches, List<@Valid @NotNull Trigger> triggers) {

    public static final String ID_PATTERN = "[A-Za-z_][A-Za-z0-9_-]{0,99}";

    /**
     * @param appVersion  the version of an added app the action runs; pinned to the newest one when the workflow is
     *                    saved without it, so a later version never changes what a saved workflow does
     * @param credential  name of an app credential of the organisation
     * @param environment the agents' environment the task is queued for ({@code default} when absent)
     * @param runOn       {@code agent} to queue a built-in tools action for agents although the engine could run
     *                    it, {@code engine} to have the engine run it; absent: the engine runs what it can
     *                    ({@code InEngineTools})
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Action(@NotBlank @Pattern(regexp = ID_PATTERN) String id, @Size(max = 200) String label,
                         @NotBlank String app, @Size(max = 50) String appVersion, @NotBlank String action,
                         Map<String, JsonNode> parameters, String credential, @Size(max = 100) String environment,
                         @Min(1) @Max(86400) Integer timeoutSeconds,
                         @Pattern(regexp = "engine|agent", message = "must be engine or agent") String runOn) {

        public Action withAppVersion(String version) {
            return new Action(id, label, app, version, action, parameters, credential, environment, timeoutSeconds,
                    runOn);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Branch(@NotBlank String source, @NotBlank String destination,
                         List<@Valid @NotNull Condition> conditions) {
    }

    /** {@code left} and {@code right} may hold references; all conditions of a branch must hold. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Condition(JsonNode left, @NotBlank String operator, JsonNode right, boolean negate) {
    }

    /**
     * @param type     {@code manual}, {@code webhook} or {@code schedule}
     * @param cron     for schedules: a Quartz cron expression (seconds first), evaluated in UTC
     * @param argument for schedules: the execution argument
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Trigger(@NotBlank @Pattern(regexp = "manual|webhook|schedule") String type, String cron,
                          JsonNode argument) {
    }

    public WorkflowDocument withActions(List<Action> replaced) {
        return new WorkflowDocument(name, description, start, exitOnError, variables, replaced, branches, triggers);
    }

    public List<Branch> branchesOrEmpty() {
        return branches == null ? List.of() : branches;
    }

    public List<Trigger> triggersOrEmpty() {
        return triggers == null ? List.of() : triggers;
    }

    public Map<String, JsonNode> variablesOrEmpty() {
        return variables == null ? Map.of() : variables;
    }
}
