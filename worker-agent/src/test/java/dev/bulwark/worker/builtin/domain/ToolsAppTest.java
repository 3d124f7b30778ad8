package dev.bulwark.worker.builtin.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.worker.action.domain.ActionFailed;
import dev.bulwark.worker.action.domain.RunControl;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Every action of the built-in tools app, with its parameters as a workflow would give them. */
class ToolsAppTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ToolsApp tools = new ToolsApp(JSON);

    @Test
    void echoAndSetValuesReturnWhatTheyAreGiven() throws Exception {
        assertThat(run("echo", "{\"value\":{\"a\":[1,2]}}")).isEqualTo(json("{\"a\":[1,2]}"));
        assertThat(run("echo", "{}").isNull()).isTrue();
        assertThat(run("set_values", "{\"values\":{\"ip\":\"10.0.0.1\",\"n\":3}}"))
                .isEqualTo(json("{\"ip\":\"10.0.0.1\",\"n\":3}"));
        assertThatThrownBy(() -> run("set_values", "{\"values\":[1]}")).hasMessage("parameter 'values' must be an object");
    }

    @Test
    void filterListUsesTheConditionOperatorsOnAField() throws Exception {
        String list = "[{\"ip\":\"10.0.0.1\",\"score\":9},{\"ip\":\"192.168.1.1\",\"score\":2},{\"ip\":\"10.1.1.1\"}]";
        assertThat(run("filter_list", "{\"list\":" + list + ",\"field\":\"ip\",\"operator\":\"starts_with\",\"value\":\"10.\"}"))
                .isEqualTo(json("[{\"ip\":\"10.0.0.1\",\"score\":9},{\"ip\":\"10.1.1.1\"}]"));
        assertThat(run("filter_list", "{\"list\":" + list + ",\"field\":\"score\",\"operator\":\"larger_than\",\"value\":5}"))
                .isEqualTo(json("[{\"ip\":\"10.0.0.1\",\"score\":9}]"));
        assertThat(run("filter_list", "{\"list\":" + list + ",\"field\":\"score\",\"operator\":\"is_not_empty\"}"))
                .hasSize(2);
        assertThat(run("filter_list", "{\"list\":[{\"n\":\"10\"},{\"n\":10.0},{\"n\":\"ten\"}],\"field\":\"n\",\"operator\":\"equals\",\"value\":10}"))
                .hasSize(2);
        assertThat(run("filter_list", "{\"list\":[\"a.exe\",\"b.txt\",\"c.dll\"],\"operator\":\"matches_regex\",\"value\":\"\\\\.(exe|dll)$\"}"))
                .isEqualTo(json("[\"a.exe\",\"c.dll\"]"));
        assertThat(run("filter_list", "{\"list\":[\"red\",\"green\",\"blue\"],\"operator\":\"contains_any_of\",\"value\":\"ee, lu\"}"))
                .isEqualTo(json("[\"green\",\"blue\"]"));
        assertThatThrownBy(() -> run("filter_list", "{\"list\":[1],\"operator\":\"resembles\"}"))
                .hasMessage("unknown condition operator 'resembles'");
    }

    @Test
    void regexCaptureReturnsTheGroupsOfTheFirstMatch() throws Exception {
        JsonNode out = run("regex_capture",
                "{\"input\":\"src=10.0.0.1 dst=10.0.0.2\",\"pattern\":\"(?<side>\\\\w+)=([\\\\d.]+)\"}");
        assertThat(out).isEqualTo(json("{\"matched\":true,\"groups\":[\"src\",\"10.0.0.1\"],\"named\":{\"side\":\"src\"}}"));
        assertThat(run("regex_capture", "{\"input\":\"none\",\"pattern\":\"\\\\d\"}"))
                .isEqualTo(json("{\"matched\":false,\"groups\":[],\"named\":{}}"));
        assertThatThrownBy(() -> run("regex_capture", "{\"input\":\"x\",\"pattern\":\"(\"}"))
                .hasMessageContaining("not a valid regular expression");
    }

    @Test
    void aPathologicalPatternRunsInLinearTime() throws Exception {
        // Backtracking takes seconds on this (3.4 s at 36 characters, issue 13); RE2J answers in milliseconds.
        String input = "a".repeat(40);
        JsonNode out = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> run("regex_capture",
                "{\"input\":\"" + input + "\",\"pattern\":\"(.*a){8}b\"}"));
        assertThat(out).isEqualTo(json("{\"matched\":false,\"groups\":[],\"named\":{}}"));
    }

    @Test
    void namedGroupsWorkInBothSyntaxes() throws Exception {
        assertThat(run("regex_capture", "{\"input\":\"user=ada\",\"pattern\":\"(?P<key>\\\\w+)=(?<value>\\\\w+)\"}")
                .get("named")).isEqualTo(json("{\"key\":\"user\",\"value\":\"ada\"}"));
    }

    @Test
    void jsonAndBase64RoundTrip() throws Exception {
        assertThat(run("json_parse", "{\"input\":\"{\\\"a\\\":1}\"}")).isEqualTo(json("{\"a\":1}"));
        assertThat(run("json_serialize", "{\"value\":{\"a\":1}}").asText()).isEqualTo("{\"a\":1}");
        assertThatThrownBy(() -> run("json_parse", "{\"input\":\"{nope\"}")).hasMessageStartingWith("input is not JSON");
        assertThat(run("base64_encode", "{\"input\":\"héllo\"}").asText()).isEqualTo("aMOpbGxv");
        assertThat(run("base64_decode", "{\"input\":\"aMOpbGxv\"}").asText()).isEqualTo("héllo");
        assertThatThrownBy(() -> run("base64_decode", "{\"input\":\"***\"}")).hasMessageStartingWith("input is not base64");
    }

    @Test
    void hashGivesLowerCaseHex() throws Exception {
        assertThat(run("hash", "{\"input\":\"abc\"}").asText())
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(run("hash", "{\"input\":\"abc\",\"algorithm\":\"md5\"}").asText())
                .isEqualTo("900150983cd24fb0d6963f7d28e17f72");
        assertThatThrownBy(() -> run("hash", "{\"input\":\"abc\",\"algorithm\":\"crc\"}"))
                .hasMessage("algorithm must be one of md5, sha1, sha256, sha512");
    }

    @Test
    void timestampInEachFormat() throws Exception {
        Instant before = Instant.now();
        assertThat(Instant.parse(run("timestamp", "{}").asText())).isBetween(before, Instant.now());
        assertThat(run("timestamp", "{\"format\":\"epoch\"}").asLong()).isBetween(before.getEpochSecond(),
                Instant.now().getEpochSecond());
        assertThat(run("timestamp", "{\"format\":\"epoch_millis\"}").asLong()).isGreaterThanOrEqualTo(before.toEpochMilli());
    }

    @Test
    void mergeListsConcatenatesInOrder() throws Exception {
        assertThat(run("merge_lists", "{\"lists\":[[1,2],[2,{\"a\":1}]]}")).isEqualTo(json("[1,2,2,{\"a\":1}]"));
        assertThatThrownBy(() -> run("merge_lists", "{\"lists\":[1]}")).hasMessage("parameter 'lists' must be a list of lists");
    }

    @Test
    void delayWaitsAndStopsWhenInterrupted() throws Exception {
        Instant start = Instant.now();
        assertThat(run("delay", "{\"seconds\":0.2,\"value\":{\"after\":true}}")).isEqualTo(json("{\"after\":true}"));
        assertThat(Duration.between(start, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> run("delay", "{\"seconds\":30}")).isInstanceOf(InterruptedException.class);
    }

    @Test
    void anUnknownActionFails() {
        assertThatThrownBy(() -> run("teleport", "{}")).isInstanceOf(ActionFailed.class)
                .hasMessage("app tools has no action 'teleport'");
    }

    private JsonNode run(String action, String parameters) throws Exception {
        return tools.run("org-under-test", action, json(parameters), new RunControl(Instant.now().plusSeconds(10)));
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }
}
