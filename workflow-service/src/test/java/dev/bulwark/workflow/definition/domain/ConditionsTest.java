package dev.bulwark.workflow.definition.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        assertThat(holds("10", "larger_than", "9")).isTrue();
        assertThat(holds("\"10\"", "larger_than", "9")).isTrue();
        assertThat(holds("\"10\"", "larger_than", "\"9\"")).isTrue();
        assertThat(holds("2.0", "equals", "2")).isTrue();
        assertThat(holds("\"abc\"", "larger_than", "1")).isFalse();
        assertThat(holds("\"abc\"", "less_than", "1")).isFalse();
        assertThat(holds("\"a\"", "not_equals", "\"b\"")).isTrue();
    }

    @Test
    void textAndListOperators() throws Exception {
        assertThat(holds("\"malicious.example\"", "starts_with", "\"mal\"")).isTrue();
        assertThat(holds("\"malicious.example\"", "ends_with", "\".example\"")).isTrue();
        assertThat(holds("\"malicious.example\"", "contains", "\"cious\"")).isTrue();
        assertThat(holds("[1, 2, 3]", "contains", "2")).isTrue();
        assertThat(holds("[1, 2, 3]", "contains", "4")).isFalse();
        assertThat(holds("\"tor exit node\"", "contains_any_of", "\"vpn, tor\"")).isTrue();
        assertThat(holds("[\"a\", \"b\"]", "contains_any_of", "[\"c\", \"b\"]")).isTrue();
        assertThat(holds("\"x\"", "contains_any_of", "[]")).isFalse();
        assertThat(holds("\"10.1.2.3\"", "matches_regex", "\"^10\\\\.\"")).isTrue();
        assertThatThrownBy(() -> holds("\"x\"", "matches_regex", "\"(\"")).isInstanceOf(Unresolvable.class);
    }

    @Test
    void emptiness() throws Exception {
        assertThat(holds(null, "is_empty", null)).isTrue();
        assertThat(holds("null", "is_empty", null)).isTrue();
        assertThat(holds("\"\"", "is_empty", null)).isTrue();
        assertThat(holds("[]", "is_empty", null)).isTrue();
        assertThat(holds("{}", "is_empty", null)).isTrue();
        assertThat(holds("0", "is_empty", null)).isFalse();
        assertThat(holds("[0]", "is_not_empty", null)).isTrue();
    }
}
