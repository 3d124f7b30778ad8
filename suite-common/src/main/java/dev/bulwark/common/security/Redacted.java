package dev.bulwark.common.security;

/** How records that hold a secret print it in {@code toString}: whether it is there, never what it is. */
public final class Redacted {

    private Redacted() {
    }

    public static String of(Object secret) {
        return secret == null ? "null" : "<redacted>";
    }
}
