package dev.bulwark.common.conditions;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ConditionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static boolean holds(String left, String operator, String right) throws Exception {
        JsonNode l = left == null ? null : JSON.readTree(left);
        JsonNode r = right == null ? null : JSON.readTree(right);
        return Conditions.holds(operator, l, r);
    }

    @Test
    void numbersCompareAsNumbersWhereBothSidesAreNumbers() throws Exception {
        assertTrue(holds("10", "larger_than", "9"));
        assertTrue(holds("\"10\"", "larger_than", "9"));
        assertTrue(holds("\"10\"", "larger_than", "\"9\""));
        assertTrue(holds("2.0", "equals", "2"));
        assertFalse(holds("\"abc\"", "larger_than", "1"));
        assertFalse(holds("\"abc\"", "less_than", "1"));
        assertTrue(holds("\"a\"", "not_equals", "\"b\""));
    }

    @Test
    void textAndListOperators() throws Exception {
        assertTrue(holds("\"malicious.example\"", "starts_with", "\"mal\""));
        assertTrue(holds("\"malicious.example\"", "ends_with", "\".example\""));
        assertTrue(holds("\"malicious.example\"", "contains", "\"cious\""));
        assertTrue(holds("[1, 2, 3]", "contains", "2"));
        assertFalse(holds("[1, 2, 3]", "contains", "4"));
        assertTrue(holds("\"tor exit node\"", "contains_any_of", "\"vpn, tor\""));
        assertTrue(holds("[\"a\", \"b\"]", "contains_any_of", "[\"c\", \"b\"]"));
        assertFalse(holds("\"x\"", "contains_any_of", "[]"));
        assertTrue(holds("\"10.1.2.3\"", "matches_regex", "\"^10\\\\.\""));
        assertThrows(IllegalArgumentException.class, () -> holds("\"x\"", "matches_regex", "\"(\""));
        assertThrows(IllegalArgumentException.class, () -> holds("1", "roughly", "1"));
    }

    @Test
    void emptiness() throws Exception {
        assertTrue(holds(null, "is_empty", null));
        assertTrue(holds("null", "is_empty", null));
        assertTrue(holds("\"\"", "is_empty", null));
        assertTrue(holds("[]", "is_empty", null));
        assertTrue(holds("{}", "is_empty", null));
        assertFalse(holds("0", "is_empty", null));
        assertTrue(holds("[0]", "is_not_empty", null));
    }
}
