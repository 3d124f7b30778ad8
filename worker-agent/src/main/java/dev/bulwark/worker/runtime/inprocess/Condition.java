package dev.bulwark.worker.runtime.inprocess;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.bulwark.worker.runtime.ActionFailed;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The operators of branch conditions, with the engine's semantics, applied by {@code tools.filter_list} to list
 * items: where both sides are numbers (or text that reads as one) they compare as numbers, otherwise as text, except
 * {@code contains} and {@code contains_any_of} on lists, which compare items.
 */
final class Condition {

    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");

    private Condition() {
    }

    static boolean holds(JsonNode left, String operator, JsonNode right) throws ActionFailed {
        return switch (operator) {
            case "equals" -> equal(left, right);
            case "not_equals" -> !equal(left, right);
            case "starts_with" -> text(left).startsWith(text(right));
            case "ends_with" -> text(left).endsWith(text(right));
            case "contains" -> left.isArray() ? contains(left, right) : text(left).contains(text(right));
            case "contains_any_of" -> containsAnyOf(left, right);
            case "larger_than" -> compare(left, right).map(c -> c > 0).orElse(false);
            case "less_than" -> compare(left, right).map(c -> c < 0).orElse(false);
            case "is_empty" -> empty(left);
            case "is_not_empty" -> !empty(left);
            case "matches_regex" -> regex(text(right)).matcher(text(left)).find();
            default -> throw new ActionFailed("unknown operator '" + operator + "'");
        };
    }

    private static boolean equal(JsonNode left, JsonNode right) {
        Optional<BigDecimal> l = number(left);
        Optional<BigDecimal> r = number(right);
        if (l.isPresent() && r.isPresent()) {
            return l.get().compareTo(r.get()) == 0;
        }
        if (left.isContainerNode() || right.isContainerNode()) {
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

    private static boolean containsAnyOf(JsonNode left, JsonNode right) {
        List<JsonNode> candidates = new ArrayList<>();
        if (right.isArray()) {
            right.forEach(candidates::add);
        } else {
            for (String part : text(right).split(",")) {
                if (!part.isBlank()) {
                    candidates.add(TextNode.valueOf(part.strip()));
                }
            }
        }
        for (JsonNode candidate : candidates) {
            if (left.isArray() ? contains(left, candidate) : text(left).contains(text(candidate))) {
                return true;
            }
        }
        return false;
    }

    private static Optional<Integer> compare(JsonNode left, JsonNode right) {
        Optional<BigDecimal> l = number(left);
        Optional<BigDecimal> r = number(right);
        return l.isPresent() && r.isPresent() ? Optional.of(l.get().compareTo(r.get())) : Optional.empty();
    }

    private static Optional<BigDecimal> number(JsonNode value) {
        if (value.isNumber()) {
            return Optional.of(value.decimalValue());
        }
        if (value.isTextual() && NUMBER.matcher(value.asText().strip()).matches()) {
            return Optional.of(new BigDecimal(value.asText().strip()));
        }
        return Optional.empty();
    }

    private static String text(JsonNode value) {
        if (value.isNull() || value.isMissingNode()) {
            return "";
        }
        return value.isTextual() ? value.asText() : value.toString();
    }

    private static boolean empty(JsonNode value) {
        return value.isNull() || value.isMissingNode() || value.isTextual() && value.asText().isEmpty()
                || value.isContainerNode() && value.isEmpty();
    }

    private static Pattern regex(String pattern) throws ActionFailed {
        try {
            return Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new ActionFailed("not a valid regular expression: " + e.getDescription());
        }
    }
}
