package dev.bulwark.workflow.identity.domain;

import dev.bulwark.common.error.Invalid;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** What a password must be: at least 12 characters mixing three kinds, or at least 16, and not a known default. */
public final class PasswordPolicy {

    private static final Set<String> KNOWN_WEAK = Set.of("password", "changeme", "admin", "bulwark", "letmein",
            "qwerty", "123456", "welcome", "secret");

    private PasswordPolicy() {
    }

    public static void check(String password) {
        if (password == null || password.isBlank()) {
            throw new Invalid("A password is required");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (KNOWN_WEAK.stream().anyMatch(lower::contains) && password.length() < 20) {
            throw new Invalid("The password contains a well-known weak word");
        }
        long kinds = Stream.of(password.chars().anyMatch(Character::isLowerCase),
                password.chars().anyMatch(Character::isUpperCase),
                password.chars().anyMatch(Character::isDigit),
                password.chars().anyMatch(c -> !Character.isLetterOrDigit(c))).filter(b -> b).count();
        if (password.length() < 12 || (password.length() < 16 && kinds < 3)) {
            throw new Invalid("The password must have at least 12 characters mixing three of lower case, upper case,"
                    + " digits and symbols, or at least 16 characters");
        }
    }
}
