package dev.bulwark.backbone.client.domain;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Topics and topic patterns as an AMQP topic exchange reads them: dot-separated words, where a pattern's {@code *}
 * stands for exactly one word and {@code #} for any number, including none.
 */
public final class TopicPattern {

    /** AMQP routing keys are short strings. */
    public static final int MAX_BYTES = 255;
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_\\-:]+");

    private TopicPattern() {
    }

    /** Why {@code topic} is not a concrete topic, or null when it is one. */
    public static String topicProblem(String topic) {
        return problem(topic, false);
    }

    /** Why {@code pattern} is not a topic pattern, or null when it is one. */
    public static String patternProblem(String pattern) {
        return problem(pattern, true);
    }

    private static String problem(String value, boolean wildcards) {
        if (value == null || value.isEmpty()) {
            return "must not be empty";
        }
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return "must be at most " + MAX_BYTES + " bytes";
        }
        for (String word : value.split("\\.", -1)) {
            boolean wildcard = word.equals("*") || word.equals("#");
            if (wildcard && !wildcards) {
                return "must not contain wildcards";
            }
            if (!wildcard && !WORD.matcher(word).matches()) {
                return "must be dot-separated words of letters, digits, '_', '-' or ':'"
                        + (wildcards ? ", or the wildcards '*' and '#'" : "");
            }
        }
        return null;
    }

    /** Whether {@code topic} is routed by {@code pattern}, with the topic exchange's semantics. */
    public static boolean matches(String pattern, String topic) {
        return matches(pattern.split("\\."), 0, topic.split("\\."), 0);
    }

    private static boolean matches(String[] pattern, int p, String[] topic, int t) {
        if (p == pattern.length) {
            return t == topic.length;
        }
        if (pattern[p].equals("#")) {
            for (int skip = t; skip <= topic.length; skip++) {
                if (matches(pattern, p + 1, topic, skip)) {
                    return true;
                }
            }
            return false;
        }
        if (t == topic.length) {
            return false;
        }
        return (pattern[p].equals("*") || pattern[p].equals(topic[t])) && matches(pattern, p + 1, topic, t + 1);
    }
}
