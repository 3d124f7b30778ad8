package dev.bulwark.e2e.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The count of one kind of load in one scenario, by unique id: what the suite accepted (and when it was asked),
 * what completed (first time, and how often), what was refused (never accepted, so never owed), and why an item
 * failed.
 */
final class Tally {

    final String name;
    private final Map<String, Instant> accepted = new ConcurrentSkipListMap<>();
    private final Map<String, Instant> completed = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> completions = new ConcurrentHashMap<>();
    private final Map<String, String> failed = new ConcurrentHashMap<>();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicReference<Instant> lastRefused = new AtomicReference<>();
    private final AtomicInteger extraWork = new AtomicInteger();

    Tally(String name) {
        this.name = name;
    }

    /** The suite took the item: it now owes its completion. {@code askedAt} is when it was asked. */
    void accepted(String id, Instant askedAt) {
        accepted.putIfAbsent(id, askedAt);
    }

    /** The suite did not take it (an error answer, no answer): nothing is owed. */
    void refused() {
        refused.incrementAndGet();
        lastRefused.set(Instant.now());
    }

    void completed(String id, Instant at) {
        completed.merge(id, at, (a, b) -> a.isBefore(b) ? a : b);
        completions.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
    }

    /** Delivered {@code times} times so far, first at {@code first} (a receiver's count, replacing the last one). */
    void delivered(String id, Instant first, int times) {
        completed.put(id, first);
        completions.computeIfAbsent(id, k -> new AtomicInteger()).set(times);
    }

    List<String> acceptedIds() {
        return List.copyOf(accepted.keySet());
    }

    /** It ended, but not as it should (an execution FAILED, a run not FINISHED): lost unless it completes later. */
    void failed(String id, String reason) {
        failed.put(id, reason);
    }

    /** Work done again for a completed item (an action attempt beyond the first): a bounded duplicate. */
    void extraWork(int count) {
        extraWork.addAndGet(count);
    }

    List<String> pending() {
        return accepted.keySet().stream().filter(id -> !completed.containsKey(id) && !failed.containsKey(id)).toList();
    }

    boolean settled() {
        return pending().isEmpty();
    }

    record Row(String stream, int accepted, int completed, int lost, int duplicated, int refused,
            Duration recovery, List<String> lostSamples) {
    }

    /**
     * Recovery: from the fault to the first success again, i.e. the first completion of an item asked for after the
     * fault and after the last refusal that followed it; null when no such item completed.
     */
    Row row(Instant faultAt) {
        List<String> lost = new ArrayList<>();
        int done = 0;
        for (String id : accepted.keySet()) {
            if (completed.containsKey(id)) {
                done++;
            } else {
                lost.add(id + (failed.containsKey(id) ? " (" + failed.get(id) + ")" : " (never completed)"));
            }
        }
        int duplicated = extraWork.get() + completions.values().stream().mapToInt(c -> c.get() - 1).sum();
        Duration recovery = null;
        if (faultAt != null) {
            Instant refusedLast = lastRefused.get();
            Instant from = refusedLast != null && refusedLast.isAfter(faultAt) ? refusedLast : faultAt;
            recovery = accepted.entrySet().stream()
                    .filter(e -> !e.getValue().isBefore(from) && completed.containsKey(e.getKey()))
                    .map(e -> completed.get(e.getKey()))
                    .min(Instant::compareTo)
                    .map(first -> Duration.between(faultAt, first))
                    .orElse(null);
        }
        return new Row(name, accepted.size(), done, lost.size(), duplicated, refused.get(), recovery,
                lost.subList(0, Math.min(5, lost.size())));
    }
}
