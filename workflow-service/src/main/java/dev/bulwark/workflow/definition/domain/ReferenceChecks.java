package dev.bulwark.workflow.definition.domain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.common.error.Problem.FieldViolation;
import dev.bulwark.workflow.definition.domain.WorkflowDocument.Action;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the references and Liquid templates in a value of a workflow document (an action parameter, a condition
 * operand): each names a workflow variable or an action that runs before that point, loops only in parameters.
 */
@ApplicationScoped
class ReferenceChecks {

    private final Expressions expressions;

    ReferenceChecks(Expressions expressions) {
        this.expressions = expressions;
    }

    void check(WorkflowDocument doc, JsonNode value, String field, Map<String, Action> byId, Set<String> visible,
               boolean loopsAllowed, List<FieldViolation> problems) {
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

    private static FieldViolation at(String field, String message) {
        return new FieldViolation(field, message);
    }
}
