package dev.bulwark.workflow.definition.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** References and Liquid as the engine evaluates them, and the Liquid sandbox. */
@QuarkusTest
class ExpressionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Expressions expressions;

    private Scope scope() throws Exception {
        return new Scope(JSON.readTree("{\"ip\":\"10.0.0.1\",\"list\":[{\"n\":1},{\"n\":2}],\"code\":\"{{ vars.x }}\"}"),
                Map.of("x", JSON.readTree("\"secret-var\"")),
                Map.of("a", JSON.readTree("{\"b\":[{\"c\":true}]}")), Set.of("skipped"));
    }

    private JsonNode resolve(String value) throws Exception {
        return expressions.resolve(JSON.readTree(value), scope(), null);
    }

    @Test
    void wholeReferencesAreTypedAndEmbeddedOnesAreText() throws Exception {
        assertThat(resolve("\"$a.b.0.c\"").isBoolean()).isTrue();
        assertThat(resolve("\"$exec.list\"").isArray()).isTrue();
        assertThat(resolve("\"ip=$exec.ip, flag=$a.b.0.c\"").asText()).isEqualTo("ip=10.0.0.1, flag=true");
        assertThat(resolve("\"costs $$5\"").asText()).isEqualTo("costs $5");
        assertThat(expressions.resolve(JSON.readTree("\"$exec.list.#.n\""), scope(), 1).asInt()).isEqualTo(2);
        assertThat(expressions.loopLength(Map.of("v", JSON.readTree("\"$exec.list.#.n\"")), scope())).isEqualTo(2);
    }

    @Test
    void unresolvableReferencesAreErrors() {
        assertThatThrownBy(() -> resolve("\"$a.b.5\"")).isInstanceOf(Unresolvable.class)
                .hasMessage("$a.b.5: $a.b has no '5'");
        assertThatThrownBy(() -> resolve("\"x $skipped.y\"")).isInstanceOf(Unresolvable.class)
                .hasMessageContaining("was skipped");
        assertThatThrownBy(() -> resolve("\"{{ nothing.here }}\"")).isInstanceOf(Unresolvable.class);
    }

    @Test
    void liquidSeesReferencesAsDataNeverAsTemplateCode() throws Exception {
        assertThat(resolve("\"{{ exec.ip | append: '/32' }} in {{ vars.x }}\"").asText())
                .isEqualTo("10.0.0.1/32 in secret-var");
        assertThat(resolve("\"{{ a.b[0].c }}\"").asText()).isEqualTo("true");
        // $exec.code holds template text: it is printed, not rendered.
        assertThat(resolve("\"{{ exec.ip }} $exec.code\"").asText()).isEqualTo("10.0.0.1 {{ vars.x }}");
    }

    @Test
    void liquidIsSandboxed() {
        assertThatThrownBy(() -> resolve("\"{% include 'application.properties' %}\"")).isInstanceOf(Unresolvable.class);
        assertThatThrownBy(() -> resolve("\"{% for i in (1..1000000) %}xxxxxxxxxx{% endfor %}\""))
                .isInstanceOf(Unresolvable.class);
    }
}
