package dev.bulwark.workflow.definition.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What references of one execution can see: its argument, the workflow variables, and the outputs of the actions
 * that have finished so far ({@code skipped} ones have none).
 */
public record Scope(JsonNode exec, Map<String, JsonNode> vars, Map<String, JsonNode> outputs, Set<String> skipped) {

    /** The value a reference names; {@code index} picks the loop item where the path has {@code #}. */
    public JsonNode lookup(Reference ref, Integer index) {
        JsonNode node;
        List<String> path = ref.path();
        switch (ref.root()) {
            case Reference.EXEC -> node = exec == null ? NullNode.getInstance() : exec;
            case Reference.VARS -> {
                if (path.isEmpty()) {
                    throw new Unresolvable(ref.text() + ": name a variable, as in $vars.<name>");
                }
                node = vars.get(path.get(0));
                if (node == null) {
                    throw new Unresolvable(ref.text() + ": the workflow has no variable '" + path.get(0) + "'");
                }
                path = path.subList(1, path.size());
            }
            default -> {
                if (skipped.contains(ref.root())) {
                    throw new Unresolvable(ref.text() + ": action '" + ref.root() + "' was skipped");
                }
                node = outputs.get(ref.root());
                if (node == null) {
                    throw new Unresolvable(ref.text() + ": action '" + ref.root() + "' has no result");
                }
            }
        }
        StringBuilder at = new StringBuilder("$").append(ref.root());
        if (ref.root().equals(Reference.VARS)) {
            at.append('.').append(ref.path().get(0));
        }
        for (String segment : path) {
            if (segment.equals(Reference.LOOP)) {
                if (!node.isArray()) {
                    throw new Unresolvable(ref.text() + ": " + at + " is not a list to loop over");
                }
                if (index == null || index >= node.size()) {
                    throw new Unresolvable(ref.text() + ": no loop item " + index);
                }
                node = node.get(index);
            } else if (node.isObject() && node.has(segment)) {
                node = node.get(segment);
            } else if (node.isArray() && segment.matches("\\d{1,9}") && Integer.parseInt(segment) < node.size()) {
                node = node.get(Integer.parseInt(segment));
            } else {
                throw new Unresolvable(ref.text() + ": " + at + " has no '" + segment + "'");
            }
            at.append('.').append(segment);
        }
        return node;
    }

    /** The list a loop reference iterates over (its path up to the {@code #}). */
    public JsonNode loopList(Reference ref) {
        int hash = ref.path().indexOf(Reference.LOOP);
        JsonNode list = lookup(new Reference(ref.text(), ref.root(), ref.path().subList(0, hash)), null);
        if (!list.isArray()) {
            throw new Unresolvable(ref.text() + ": the value before '#' is not a list");
        }
        return list;
    }
}
