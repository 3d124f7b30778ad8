package dev.bulwark.workflow.definition.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.bulwark.workflow.config.EngineConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import liqp.Template;
import liqp.TemplateParser;
import liqp.parser.Flavor;

/**
 * Evaluates parameter values when the engine schedules an action: references first, then Liquid. A string that is
 * one reference becomes the typed JSON value; references inside longer strings are interpolated as text. In a
 * Liquid string each reference is bound to a template variable rather than pasted into the template source, so
 * data can never inject template code. Liquid runs sandboxed: no includes (no file access), bounded render time,
 * output size and loop iterations.
 */
@ApplicationScoped
public class Expressions {

    private static final String REF_VARIABLE = "bulwark_ref_";

    private final ObjectMapper json;
    private final TemplateParser liquid;
    private final EngineConfig.Templates limits;
    /** Renders run here, so a render over its time limit can be told to stop while the engine goes on. */
    private final ExecutorService renderers = Executors.newCachedThreadPool(new ThreadFactory() {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "liquid-render-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    });

    Expressions(ObjectMapper json, EngineConfig config) {
        this.json = json;
        this.limits = config.templates();
        TemplateParser.Builder builder = new TemplateParser.Builder().withFlavor(Flavor.LIQUID);
        Flavor.LIQUID.getFilters().values().forEach(filter -> builder.withFilter(LiquidGuard.guarded(filter)));
        this.liquid = builder
                .withNameResolver(name -> {
                    throw new IOException("includes are disabled");
                })
                .withStrictVariables(true)
                .withRenderTransformer(LiquidGuard.guarded(TemplateParser.DEFAULT.getRenderTransformer()))
                .withMaxSizeRenderedString(config.templates().maxOutputChars())
                .withMaxIterations(10_000)
                .withMaxTemplateSizeBytes(64 * 1024)
                .build();
    }

    public static boolean isTemplate(String text) {
        return text.contains("{{") || text.contains("{%");
    }

    /** Every reference in a value (strings inside objects and lists included). */
    public static List<Reference> references(JsonNode value) {
        List<Reference> found = new ArrayList<>();
        collect(value, found);
        return found;
    }

    private static void collect(JsonNode value, List<Reference> found) {
        if (value == null) {
            return;
        }
        if (value.isTextual()) {
            found.addAll(Reference.in(value.asText()));
        } else {
            value.forEach(child -> collect(child, found));
        }
    }

    /** Whether the parameters fan the action out over a list ({@code $x.#}). */
    public static boolean loops(Map<String, JsonNode> parameters) {
        return parameters.values().stream().flatMap(v -> references(v).stream()).anyMatch(Reference::loops);
    }

    /** The number of loop items, or -1 when the parameters do not loop; all loops of an action must agree. */
    public int loopLength(Map<String, JsonNode> parameters, Scope scope) {
        int length = -1;
        for (JsonNode value : parameters.values()) {
            for (Reference ref : references(value)) {
                if (!ref.loops()) {
                    continue;
                }
                int size = scope.loopList(ref).size();
                if (length >= 0 && size != length) {
                    throw new Unresolvable(ref.text() + ": loops over " + size + " items where another loop of "
                            + "the action has " + length);
                }
                length = size;
            }
        }
        return length;
    }

    /** The parameters with every reference and template evaluated, for loop item {@code index} (or none). */
    public ObjectNode resolve(Map<String, JsonNode> parameters, Scope scope, Integer index) {
        ObjectNode resolved = json.createObjectNode();
        parameters.forEach((name, value) -> resolved.set(name, resolve(value, scope, index)));
        return resolved;
    }

    public JsonNode resolve(JsonNode value, Scope scope, Integer index) {
        if (value == null) {
            return null;
        }
        if (value.isTextual()) {
            return resolveText(value.asText(), scope, index);
        }
        if (value.isObject()) {
            ObjectNode copy = json.createObjectNode();
            value.fields().forEachRemaining(e -> copy.set(e.getKey(), resolve(e.getValue(), scope, index)));
            return copy;
        }
        if (value.isArray()) {
            ArrayNode copy = json.createArrayNode();
            value.forEach(item -> copy.add(resolve(item, scope, index)));
            return copy;
        }
        return value;
    }

    private JsonNode resolveText(String text, Scope scope, Integer index) {
        Reference whole = Reference.whole(text);
        if (whole != null) {
            return scope.lookup(whole, index);
        }
        if (!text.contains("$") && !isTemplate(text)) {
            return TextNode.valueOf(text);
        }
        boolean template = isTemplate(text);
        Map<String, Object> bound = new HashMap<>();
        StringBuilder out = new StringBuilder();
        Matcher match = Reference.PATTERN.matcher(text);
        while (match.find()) {
            String replacement;
            if (match.group(1) == null) {
                replacement = "$";
            } else {
                String value = asText(scope.lookup(Reference.of(match), index));
                if (template) {
                    String variable = REF_VARIABLE + bound.size();
                    bound.put(variable, value);
                    replacement = "{{ " + variable + " }}";
                } else {
                    replacement = value;
                }
            }
            match.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        match.appendTail(out);
        return TextNode.valueOf(template ? render(out.toString(), scope, bound) : out.toString());
    }

    private String render(String template, Scope scope, Map<String, Object> bound) {
        Map<String, Object> model = new HashMap<>(bound);
        model.put(Reference.EXEC, plain(scope.exec()));
        model.put(Reference.VARS, json.convertValue(scope.vars(), Map.class));
        scope.outputs().forEach((id, output) -> model.put(id, plain(output)));
        Template parsed;
        try {
            parsed = liquid.parse(template);
        } catch (RuntimeException e) {
            throw new Unresolvable("template: " + messageOf(e));
        }
        LiquidGuard guard = new LiquidGuard(limits.maxRenderMillis(), limits.maxStringChars());
        Future<String> rendering = renderers.submit(() -> {
            guard.bind();
            try {
                return parsed.renderUnguarded(model);
            } finally {
                LiquidGuard.unbind();
            }
        });
        try {
            return rendering.get(limits.maxRenderMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            guard.cancel();
            rendering.cancel(true);
            throw new Unresolvable("template: " + guard.timeExceeded().getMessage());
        } catch (ExecutionException e) {
            throw new Unresolvable("template: " + messageOf(e.getCause()));
        } catch (InterruptedException e) {
            guard.cancel();
            rendering.cancel(true);
            Thread.currentThread().interrupt();
            throw new Unresolvable("template: interrupted");
        }
    }

    @PreDestroy
    void stop() {
        renderers.shutdownNow();
    }

    /** Why a Liquid template cannot be parsed, or {@code null} when it can. */
    public String templateError(String text) {
        if (!isTemplate(text)) {
            return null;
        }
        try {
            liquid.parse(text);
            return null;
        } catch (RuntimeException e) {
            return messageOf(e);
        }
    }

    private Object plain(JsonNode node) {
        return node == null ? null : json.convertValue(node, Object.class);
    }

    private static String asText(JsonNode node) {
        return node.isTextual() ? node.asText() : node.toString();
    }

    private static String messageOf(Throwable e) {
        for (Throwable link = e; link != null; link = link.getCause()) {
            if (link instanceof LiquidGuard.LimitExceeded) {
                return link.getMessage();
            }
        }
        Throwable cause = e;
        while (cause.getCause() != null && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return message.length() > 300 ? message.substring(0, 300) + "…" : message;
    }
}
