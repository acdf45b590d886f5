package io.faultline.checker.jepsen;

import io.faultline.checker.Anomaly;
import io.faultline.checker.CheckResult;
import io.faultline.checker.Checker;
import io.faultline.checker.Verdict;
import io.faultline.checker.history.Op;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Jepsen's total-queue checker over {@code enqueue}, {@code dequeue} and {@code drain}, optionally FIFO.
 *
 * <ul>
 *   <li>{@code duplicated}: an element dequeued (or drained) more than once;</li>
 *   <li>{@code unexpected}: an element dequeued that no enqueue attempted;</li>
 *   <li>{@code lost}: an acknowledged enqueue never dequeued although a drain began after it completed
 *       (unless indeterminate dequeues are enough to have taken every such element);</li>
 *   <li>{@code fifo-order} (FIFO only): a enqueued before b began, yet b was dequeued before a's dequeue
 *       began (or after a in the same drain's order, reversed).</li>
 * </ul>
 * Elements dequeued whose enqueue was indeterminate are counted as recovered. O(n log n).
 */
public final class QueueChecker implements Checker {
    public static final String FIFO = "fifo-queue";
    public static final String UNORDERED = "unordered-queue";
    private final boolean fifo;
    private final String name;

    public QueueChecker(boolean fifo) {
        this(fifo, fifo ? FIFO : UNORDERED);
    }

    public QueueChecker(boolean fifo, String name) {
        this.fifo = fifo;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    /** One removal of an element: by a dequeue, or at position {@code pos} of a drain. */
    private record Removal(Object value, Call call, int pos) {
        long witness() {
            return call.end();
        }
    }

    @Override
    public CheckResult check(List<Op> history) {
        List<Call> calls = Calls.of(history);
        Map<Object, Call> enqueues = new HashMap<>();
        Map<Object, Removal> firstRemoval = new HashMap<>();
        List<Anomaly> anomalies = new ArrayList<>();
        List<Call> drains = new ArrayList<>();
        long removals = 0, acknowledged = 0, attempted = 0, duplicated = 0, unexpected = 0;
        long latestDrainStart = -1;
        for (Call c : calls) {
            switch (c.f()) {
                case "enqueue" -> {
                    Object v = Calls.element(c.invoke().value());
                    Call prev = enqueues.get(v);
                    if (prev == null || (!prev.ok() && c.ok())) enqueues.put(v, c);
                }
                case "drain" -> {
                    if (c.ok()) {
                        drains.add(c);
                        latestDrainStart = Math.max(latestDrainStart, c.start());
                    }
                }
                default -> { }
            }
        }
        List<Removal> all = new ArrayList<>();
        for (Call c : calls) {
            if (!c.ok()) continue;
            if (c.f().equals("dequeue") && c.completion().value() != null) {
                all.add(new Removal(Calls.element(c.completion().value()), c, 0));
            } else if (c.f().equals("drain")) {
                int pos = 0;
                for (Object v : Calls.elements(c.completion().value())) all.add(new Removal(Calls.element(v), c, pos++));
            }
        }
        all.sort(Comparator.comparingLong((Removal r) -> r.call.end()).thenComparingInt(r -> r.pos));
        for (Removal r : all) {
            removals++;
            Removal first = firstRemoval.putIfAbsent(r.value, r);
            if (first != null) {
                duplicated++;
                anomalies.add(new Anomaly("duplicated", "element " + r.value + " was dequeued more than once",
                        List.of(first.witness(), r.witness())));
            } else if (!enqueues.containsKey(r.value)) {
                unexpected++;
                anomalies.add(new Anomaly("unexpected", "element " + r.value + " was dequeued but never enqueued",
                        List.of(r.witness())));
            }
        }
        long recovered = 0, lost = 0, ok = 0;
        // A dequeue with an unknown outcome may have taken one element that no result shows.
        long indeterminateRemovals = 0;
        for (Call c : calls) {
            if ((c.f().equals("dequeue") || c.f().equals("drain")) && c.indeterminate()) indeterminateRemovals++;
        }
        List<Map.Entry<Object, Call>> missing = new ArrayList<>();
        for (var e : enqueues.entrySet()) {
            Call enq = e.getValue();
            attempted++;
            if (enq.ok()) acknowledged++;
            boolean removed = firstRemoval.containsKey(e.getKey());
            if (removed && enq.ok()) ok++;
            if (removed && !enq.ok()) recovered++;
            if (!removed && enq.ok() && latestDrainStart > enq.end()) missing.add(e);
        }
        missing.sort(Comparator.comparingLong(e -> e.getValue().end()));
        if (missing.size() > indeterminateRemovals) {
            for (var e : missing) {
                lost++;
                anomalies.add(new Anomaly("lost", "acknowledged enqueue of " + e.getKey()
                        + " was never dequeued, not even by a drain that began after it"
                        + (indeterminateRemovals > 0 ? " (" + missing.size() + " such elements, only "
                        + indeterminateRemovals + " indeterminate dequeues)" : ""),
                        List.of(e.getValue().end(), lastDrainEnd(drains))));
            }
        }
        long fifoViolations = 0;
        if (fifo) fifoViolations = checkFifo(enqueues, firstRemoval, drains, anomalies);
        anomalies.sort(Comparator.comparing(a -> a.witnesses().get(0)));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("attempt-count", attempted);
        details.put("acknowledged-count", acknowledged);
        details.put("ok-count", ok);
        details.put("lost-count", lost);
        details.put("indeterminate-dequeue-count", indeterminateRemovals);
        details.put("possibly-taken-by-indeterminate-dequeues", lost == 0 ? (long) missing.size() : 0L);
        details.put("unexpected-count", unexpected);
        details.put("duplicated-count", duplicated);
        details.put("recovered-count", recovered);
        details.put("dequeued-count", removals);
        details.put("drained", !drains.isEmpty());
        if (fifo) details.put("fifo-violation-count", fifoViolations);
        Verdict verdict = anomalies.isEmpty() ? Verdict.VALID : Verdict.INVALID;
        String summary = ok + " ok, " + lost + " lost, " + duplicated + " duplicated, " + unexpected
                + " unexpected, " + recovered + " recovered" + (fifo ? ", " + fifoViolations + " out of FIFO order" : "")
                + (drains.isEmpty() ? " (no drain: losses not checked)" : "");
        return new CheckResult(name, verdict, summary, anomalies, details);
    }

    private static long lastDrainEnd(List<Call> drains) {
        long end = -1;
        for (Call d : drains) end = Math.max(end, d.end());
        return end;
    }

    private record Item(Object value, Call enqueue, Removal removal) {}

    /**
     * For a FIFO queue, if enqueue(a) completed before enqueue(b) began, b may not be removed before a:
     * a violation is a pair whose removal of b completed before the removal of a began. Elements of
     * one drain are compared by their position in it. Sweep in enqueue-start order, O(n log n).
     */
    private long checkFifo(Map<Object, Call> enqueues, Map<Object, Removal> removals, List<Call> drains,
                           List<Anomaly> anomalies) {
        List<Item> items = new ArrayList<>();
        for (var e : removals.entrySet()) {
            Call enq = enqueues.get(e.getKey());
            if (enq != null) items.add(new Item(e.getKey(), enq, e.getValue()));
        }
        // Across calls, removals are compared by their calls' intervals; within one drain, by position.
        long violations = sweep(items, it -> it.removal.call.start(), it -> it.removal.call.end(), anomalies,
                false);
        for (Call d : drains) {
            List<Item> inDrain = new ArrayList<>();
            for (Item it : items) if (it.removal.call == d) inDrain.add(it);
            violations += sweep(inDrain, it -> (long) it.removal.pos, it -> (long) it.removal.pos, anomalies, true);
        }
        return violations;
    }

    private long sweep(List<Item> items, java.util.function.ToLongFunction<Item> removalStart,
                       java.util.function.ToLongFunction<Item> removalEnd, List<Anomaly> anomalies,
                       boolean withinDrain) {
        List<Item> byEnqStart = new ArrayList<>(items);
        byEnqStart.sort(Comparator.comparingLong(it -> it.enqueue.start()));
        List<Item> byEnqEnd = new ArrayList<>(items);
        byEnqEnd.sort(Comparator.comparingLong(it -> it.enqueue.end()));
        int j = 0;
        Item latestRemoved = null; // among elements enqueued strictly before the current one: latest removal start
        long violations = 0;
        for (Item b : byEnqStart) {
            while (j < byEnqEnd.size() && byEnqEnd.get(j).enqueue.end() < b.enqueue.start()) {
                Item a = byEnqEnd.get(j++);
                if (latestRemoved == null || removalStart.applyAsLong(a) > removalStart.applyAsLong(latestRemoved)) {
                    latestRemoved = a;
                }
            }
            if (latestRemoved != null && removalEnd.applyAsLong(b) < removalStart.applyAsLong(latestRemoved)) {
                violations++;
                anomalies.add(new Anomaly("fifo-order", "element " + latestRemoved.value + " was enqueued before "
                        + b.value + " but dequeued after it" + (withinDrain ? " (same drain)" : ""),
                        List.of(latestRemoved.enqueue.end(), b.enqueue.start(), b.removal.witness(),
                                latestRemoved.removal.witness())));
            }
        }
        return violations;
    }
}
