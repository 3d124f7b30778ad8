package dev.bulwark.workflow.definition.domain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code $root.a.b.0} reference: root {@code exec}, {@code vars} or an action id, then a path of object fields
 * and list indexes. A {@code #} segment loops the action over the list before it. {@code $$} is a literal dollar.
 */
public record Reference(String text, String root, List<String> path) {

    public static final String EXEC = "exec";
    public static final String VARS = "vars";
    public static final String LOOP = "#";

    /** Group 1: the root; group 2: the path with its leading dot. A bare {@code $$} matches with no group. */
    static final Pattern PATTERN = Pattern.compile("\\$\\$|\\$([A-Za-z_][A-Za-z0-9_-]*)((?:\\.[A-Za-z0-9_#-]+)*)");

    static Reference of(Matcher match) {
        String path = match.group(2);
        List<String> segments = path == null || path.isEmpty() ? List.of()
                : Arrays.asList(path.substring(1).split("\\."));
        return new Reference(match.group(), match.group(1), segments);
    }

    public boolean loops() {
        return path.contains(LOOP);
    }

    public boolean isAction() {
        return !root.equals(EXEC) && !root.equals(VARS);
    }

    /** Every reference in a string. */
    public static List<Reference> in(String text) {
        List<Reference> found = new ArrayList<>();
        Matcher match = PATTERN.matcher(text);
        while (match.find()) {
            if (match.group(1) != null) {
                found.add(of(match));
            }
        }
        return found;
    }

    /** The one reference a string consists of, or {@code null}. */
    static Reference whole(String text) {
        Matcher match = PATTERN.matcher(text);
        return match.matches() && match.group(1) != null ? of(match) : null;
    }
}
