package dev.bulwark.workflow.definition.domain;

import java.util.Collection;
import java.util.Map;
import liqp.RenderTransformer;
import liqp.RenderTransformer.ObjectAppender;
import liqp.TemplateContext;
import liqp.filters.Filter;

/**
 * Bounds one Liquid render on the thread that runs it (issue 13): every filter call checks the time limit and
 * cancellation first and the size of what it would produce, and so does every piece of output a block appends (a loop
 * body without filters too), so a render over a limit stops at its next filter call or append instead of running on
 * after its caller gave up. liqp itself bounds loop iterations and the size of each rendered block.
 */
final class LiquidGuard {

    private static final ThreadLocal<LiquidGuard> CURRENT = new ThreadLocal<>();

    private final long deadlineNanos;
    private final long maxRenderMillis;
    private final int maxChars;
    private volatile boolean cancelled;

    LiquidGuard(long maxRenderMillis, int maxChars) {
        this.deadlineNanos = System.nanoTime() + maxRenderMillis * 1_000_000;
        this.maxRenderMillis = maxRenderMillis;
        this.maxChars = maxChars;
    }

    /** A render went over one limit; the message names the limit and its configuration key. */
    static final class LimitExceeded extends RuntimeException {
        LimitExceeded(String message) {
            super(message, null, false, false);
        }
    }

    void bind() {
        CURRENT.set(this);
    }

    static void unbind() {
        CURRENT.remove();
    }

    void cancel() {
        cancelled = true;
    }

    LimitExceeded timeExceeded() {
        return new LimitExceeded("rendering took longer than " + maxRenderMillis
                + " ms (bulwark.workflow.templates.max-render-millis)");
    }

    private void checkTime() {
        if (cancelled || System.nanoTime() > deadlineNanos || Thread.currentThread().isInterrupted()) {
            throw timeExceeded();
        }
    }

    private void checkSize(String filter, long size) {
        if (size > maxChars) {
            throw new LimitExceeded("filter '" + filter + "' would produce " + size + " characters or items, more "
                    + "than " + maxChars + " (bulwark.workflow.templates.max-string-chars)");
        }
    }

    /** The filter, bounded by the guard of the rendering thread. */
    static Filter guarded(Filter original) {
        return new Filter(original.name) {
            @Override
            public Object apply(Object value, TemplateContext context, Object... params) {
                LiquidGuard guard = CURRENT.get();
                if (guard == null) {
                    return original.apply(value, context, params);
                }
                guard.checkTime();
                guard.checkSize(name, predictedSize(name, value, params));
                Object result = original.apply(value, context, params);
                guard.checkSize(name, size(result));
                return result;
            }
        };
    }

    /** The render transformer, whose every append is bounded in time by the guard of the rendering thread. */
    static RenderTransformer guarded(RenderTransformer original) {
        return new RenderTransformer() {
            @Override
            public ObjectAppender.Controller newObjectAppender(TemplateContext context, int estimatedAppends) {
                ObjectAppender.Controller appender = original.newObjectAppender(context, estimatedAppends);
                LiquidGuard guard = CURRENT.get();
                if (guard == null) {
                    return appender;
                }
                return new ObjectAppender.Controller() {
                    @Override
                    public Object getResult() {
                        return appender.getResult();
                    }

                    @Override
                    public void append(Object value) {
                        guard.checkTime();
                        appender.append(value);
                    }
                };
            }

            @Override
            public Object transformObject(TemplateContext context, Object value) {
                return original.transformObject(context, value);
            }
        };
    }

    /** What the filters that can multiply their input would produce, before they do. */
    private static long predictedSize(String filter, Object value, Object[] params) {
        if ((filter.equals("replace") || filter.equals("replace_first")) && value != null && params.length >= 2) {
            String text = String.valueOf(value);
            String target = String.valueOf(params[0]);
            String replacement = String.valueOf(params[1]);
            long occurrences = filter.equals("replace_first") ? 1 : target.isEmpty() ? text.length() + 1
                    : count(text, target);
            return text.length() + occurrences * Math.max(0, replacement.length() - target.length());
        }
        if (filter.equals("join") && value instanceof Collection<?> items) {
            long glue = params.length >= 1 ? String.valueOf(params[0]).length() : 1;
            long total = Math.max(0, items.size() - 1) * glue;
            for (Object item : items) {
                total += size(item);
            }
            return total;
        }
        long largest = size(value);
        for (Object param : params) {
            largest = Math.max(largest, size(param));
        }
        return largest;
    }

    private static long count(String text, String target) {
        long count = 0;
        for (int at = text.indexOf(target); at >= 0; at = text.indexOf(target, at + target.length())) {
            count++;
        }
        return count;
    }

    private static long size(Object value) {
        if (value instanceof CharSequence text) {
            return text.length();
        }
        if (value instanceof Collection<?> items) {
            return items.size();
        }
        if (value instanceof Map<?, ?> map) {
            return map.size();
        }
        if (value instanceof Object[] array) {
            return array.length;
        }
        return 0;
    }
}
