package dev.bulwark.common.conditions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.google.re2j.Matcher;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SafeRegexTest {

    @Test
    void aCatastrophicPatternFinishesInMilliseconds() {
        String input = "a".repeat(36);
        // java.util.regex needs seconds for this at length 36 (exponential backtracking).
        assertTimeoutPreemptively(Duration.ofMillis(500),
                () -> assertFalse(SafeRegex.compile("(.*a){8}b").matcher(input).find()));
        String longInput = "a".repeat(100_000);
        assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> assertFalse(SafeRegex.compile("(a|aa)+$x").matcher(longInput).find()));
    }

    @Test
    void javaNamedGroupsAreAccepted() {
        Matcher matcher = SafeRegex.compile("(?<user>[a-z]+)@(?P<host>[a-z.]+)\\(\\?<x").matcher("bob@example.org(?<x");
        assertEquals(true, matcher.find());
        assertEquals("bob", matcher.group("user"));
        assertEquals("example.org", matcher.group("host"));
    }

    @Test
    void unsupportedOrHugePatternsAreClearErrors() {
        IllegalArgumentException backreference = assertThrows(IllegalArgumentException.class,
                () -> SafeRegex.compile("(a)\\1"));
        assertEquals(true, backreference.getMessage().startsWith("invalid regex '(a)\\1'"));
        assertThrows(IllegalArgumentException.class, () -> SafeRegex.compile("(?<=a)b"));
        assertThrows(IllegalArgumentException.class, () -> SafeRegex.compile("a".repeat(2_001)));
    }
}
