package dev.bulwark.workflow.definition.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Issue 13 item 4: a Liquid bomb fails fast with the limit named, and its thread stops working. */
@QuarkusTest
class LiquidLimitsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @Inject
    Expressions expressions;

    private String render(String template, String big) {
        Scope scope = new Scope(JSON.createObjectNode().put("big", big), Map.of(), Map.of(), Set.of());
        return expressions.resolve(TextNode.valueOf(template), scope, null).asText();
    }

    @Test
    void aStringDoublingTemplateFailsFastNamingTheLimitAndTheRenderThreadGoesQuiet() {
        long started = System.nanoTime();
        assertThatThrownBy(() -> render("{% assign s = 'ab' %}{% for i in (1..60) %}{% assign s = s | append: s %}"
                + "{% endfor %}{{ s | size }}", ""))
                .isInstanceOf(Unresolvable.class)
                .hasMessageStartingWith("template: filter 'append' would produce")
                .hasMessageContaining("bulwark.workflow.templates.max-string-chars");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertRenderThreadsGoQuiet();
    }

    @Test
    void aRenderOverItsTimeLimitFailsAndItsThreadActuallyStops() {
        String big = "a".repeat(90_000);
        assertThatThrownBy(() -> render("{% for i in (1..10000) %}{% assign t = exec.big | replace: 'a', 'b' %}"
                + "{% assign t = t | replace: 'b', 'a' %}{% endfor %}done", big))
                .isInstanceOf(Unresolvable.class)
                .hasMessage("template: rendering took longer than 500 ms (bulwark.workflow.templates.max-render-millis)");
        assertRenderThreadsGoQuiet();
    }

    @Test
    void aLoopWithoutFiltersOverItsTimeLimitFailsAndItsThreadActuallyStops() {
        String body = "{% capture t %}{{ exec.big }}{% endcapture %}".repeat(1_300);
        assertThatThrownBy(() -> render("{% for i in (1..10000) %}" + body + "{% endfor %}done", "a".repeat(90_000)))
                .isInstanceOf(Unresolvable.class)
                .hasMessage("template: rendering took longer than 500 ms (bulwark.workflow.templates.max-render-millis)");
        assertRenderThreadsGoQuiet();
    }

    @Test
    void filtersThatMultiplyTheirInputAreRefusedBeforeTheyRun() {
        assertThatThrownBy(() -> render("{{ exec.big | replace: 'a', exec.big }}", "a".repeat(50_000)))
                .isInstanceOf(Unresolvable.class)
                .hasMessageContaining("filter 'replace' would produce 2500000000 characters");
        assertThat(render("{{ exec.big | append: '!' | size }}", "abc")).isEqualTo("4");
    }

    /**
     * Right after the failure, the render threads use (almost) no more CPU: CPU time, not wall time, so a loaded
     * machine does not make it pass or fail. A render left running would keep adding to it until the timeout.
     */
    private static void assertRenderThreadsGoQuiet() {
        long atFailure = renderCpuNanos();
        await().pollDelay(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10))
                .until(() -> renderCpuNanos() - atFailure < 200_000_000L);
    }

    private static long renderCpuNanos() {
        long total = 0;
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("liquid-render")) {
                total += Math.max(0, THREADS.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }
}
