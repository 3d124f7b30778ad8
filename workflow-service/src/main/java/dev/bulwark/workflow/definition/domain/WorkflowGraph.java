package dev.bulwark.workflow.definition.domain;

import dev.bulwark.common.error.Problem.FieldViolation;
import dev.bulwark.workflow.definition.domain.WorkflowDocument.Action;
import dev.bulwark.workflow.definition.domain.WorkflowDocument.Branch;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The structure of a workflow document as {@link WorkflowValidator} checks it: its actions by id, the branches into
 * each, a topological order, and the actions upstream of each (those a reference may name).
 *
 * @param upstream every action id mapped to the ids of the actions that run before it
 */
record WorkflowGraph(Map<String, Action> byId, Map<String, List<Branch>> incoming, List<Action> order,
                     Map<String, Set<String>> upstream) {

    /**
     * The graph of the document, adding to {@code problems} duplicate ids, a missing start node, branches to or from
     * missing nodes, cycles and actions unreachable from the start.
     */
    static WorkflowGraph of(WorkflowDocument doc, List<FieldViolation> problems) {
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
        return new WorkflowGraph(byId, incoming, order, upstream);
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
