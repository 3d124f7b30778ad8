package dev.bulwark.common.conditions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The condition operators of the suite, with one meaning wherever they are applied: by workflow-service's engine on
 * branches, and by worker-agent's {@code tools.filter_list} on list items. Where both sides are numbers (or text
 * that reads as one) they compare as numbers; otherwise as text, except {@code contains} and
 * {@code contains_any_of} on lists, which compare items. A null side counts as missing.
 */
public final class Conditions {

    public static final List<String> OPERATORS = List.of("equals", "not_equals", "starts_with", "ends_with",
            "contains", "contains_any_of", "larger_than", "less_than", "is_empty", "is_not_empty", "matches_regex");

    /** Regex matching (linear in the input, see {@link SafeRegex}) looks at this much of the input at most. */
    private static final int MAX_REGEX_INPUT = 100_000;

    private Conditions() {
    }

    /** @throws IllegalArgumentException for an unknown operator or an invalid regular expression */
    public static boolean holds(String operator, JsonNode left, JsonNode right) {
        return switch (operator) {
            case "equals" -> equal(left, right);
            case "not_equals" -> !equal(left, right);
            case "starts_with" -> text(left).startsWith(text(right));
            case "ends_with" -> text(left).endsWith(text(right));
            case "contains" -> left != null && left.isArray() ? contains(left, right) : text(left).contains(text(right));
            case "contains_any_of" -> candidates(right).stream().anyMatch(candidate ->
                    left != null && left.isArray() ? contains(left, candidate) : text(left).contains(text(candidate)));
            case "larger_than" -> compare(left, right).map(c -> c > 0).orElse(false);
            case "less_than" -> compare(left, right).map(c -> c < 0).orElse(false);
            case "is_empty" -> empty(left);
            case "is_not_empty" -> !empty(left);
            case "matches_regex" -> matches(left, right);
            default -> throw new IllegalArgumentException("unknown condition operator '" + operator + "'");
        };
    }

    private static boolean equal(JsonNode left, JsonNode right) {
        Optional<BigDecimal> l = number(left);
        Optional<BigDecimal> r = number(right);
        if (l.isPresent() && r.isPresent()) {
            return l.get().compareTo(r.get()) == 0;
        }
        if (left != null && right != null && (left.isContainerNode() || right.isContainerNode())) {
            return left.equals(right);
        }
        return text(left).equals(text(right));
    }

    private static boolean contains(JsonNode list, JsonNode item) {
        for (JsonNode element : list) {
            if (equal(element, item)) {
                return true;
            }
        }
        return false;
    }

    private static List<JsonNode> candidates(JsonNode right) {
        List<JsonNode> candidates = new ArrayList<>();
        if (right != null && right.isArray()) {
            right.forEach(candidates::add);
        } else {
            Arrays.stream(text(right).split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .map(TextNode::valueOf).forEach(candidates::add);
        }
        return candidates;
    }

    private static Optional<Integer> compare(JsonNode left, JsonNode right) {
        Optional<BigDecimal> l = number(left);
        Optional<BigDecimal> r = number(right);
        if (l.isPresent() && r.isPresent()) {
            return Optional.of(l.get().compareTo(r.get()));
        }
        return Optional.empty();
    }

    private static boolean empty(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode()
                || (value.isTextual() && value.asText().isEmpty()) || (value.isContainerNode() && value.isEmpty());
    }

    private static boolean matches(JsonNode left, JsonNode right) {
        String input = text(left);
        if (input.length() > MAX_REGEX_INPUT) {
            input = input.substring(0, MAX_REGEX_INPUT);
        }
        return SafeRegex.compile(text(right)).matcher(input).find();
    }

    private static Optional<BigDecimal> number(JsonNode value) {
        if (value == null) {
            return Optional.empty();
        }
        if (value.isNumber()) {
            return Optional.of(value.decimalValue());
        }
        if (value.isTextual() && value.asText().trim().matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?")) {
            return Optional.of(new BigDecimal(value.asText().trim()));
        }
        return Optional.empty();
    }

    private static String text(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "";
        }
        return value.isTextual() ? value.asText() : value.toString();
    }
}
