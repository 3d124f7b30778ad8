package dev.bulwark.common.conditions;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * Regular expressions supplied by users, compiled with RE2/J so that matching runs in time linear in the input:
 * no pattern can stall a thread by backtracking. Backreferences and look-around are not supported and are reported
 * as syntax errors. Java's {@code (?<name>...)} group syntax is accepted beside RE2's {@code (?P<name>...)}.
 */
public final class SafeRegex {

    /** Longest pattern accepted; longer ones are refused rather than compiled. */
    public static final int MAX_PATTERN_LENGTH = 2_000;

    private SafeRegex() {
    }

    /** @throws IllegalArgumentException with a message safe to show the user, for a pattern that is too long or invalid */
    public static Pattern compile(String pattern) {
        if (pattern.length() > MAX_PATTERN_LENGTH) {
            throw new IllegalArgumentException("regex is longer than " + MAX_PATTERN_LENGTH + " characters");
        }
        try {
            return Pattern.compile(javaGroupNames(pattern));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid regex '" + pattern + "': " + e.getDescription());
        }
    }

    /** Rewrites {@code (?<name>} to RE2's {@code (?P<name>}, leaving escaped parentheses alone. */
    static String javaGroupNames(String pattern) {
        StringBuilder out = new StringBuilder(pattern.length() + 8);
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                out.append(c).append(pattern.charAt(++i));
            } else if (c == '(' && pattern.startsWith("?<", i + 1) && i + 3 < pattern.length()
                    && Character.isLetter(pattern.charAt(i + 3))) {
                out.append("(?P<");
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
