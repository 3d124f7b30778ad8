package dev.bulwark.worker.task.domain;

import dev.bulwark.common.tasks.ClaimedTask;
import dev.bulwark.common.tracing.TraceContext;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Runs a claimed task in a span continuing the trace of its execution ({@link ClaimedTask#traceparent()}), so that
 * what the action calls (through EgressHttp) and the result posted back join that trace.
 */
@ApplicationScoped
public class TaskTracing {

    private final Tracer tracer;

    @Inject
    TaskTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    /** Spans are not recorded, the trace context still goes along. */
    public static TaskTracing untraced() {
        return new TaskTracing(OpenTelemetry.noop().getTracer("worker-agent"));
    }

    public void run(ClaimedTask task, Runnable work) {
        Context parent = TraceContext.fromTraceparent(task.traceparent());
        Span span = tracer.spanBuilder("task " + task.app() + "." + task.action())
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("bulwark.task.id", task.taskId().toString())
                .setAttribute("bulwark.execution.id", task.executionId().toString())
                .setAttribute("bulwark.action.id", task.actionId())
                .startSpan();
        try (Scope scope = TraceContext.attach(parent.with(span))) {
            work.run();
        } finally {
            span.end();
        }
    }
}
