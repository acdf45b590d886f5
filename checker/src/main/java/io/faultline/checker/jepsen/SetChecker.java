package io.faultline.checker.jepsen;

import io.faultline.checker.Anomaly;
import io.faultline.checker.CheckResult;
import io.faultline.checker.Checker;
import io.faultline.checker.Verdict;
import io.faultline.checker.history.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Jepsen's set-full checker over {@code add} (one element) and {@code read} (the whole set).
 *
 * <p>An element becomes <em>known</em> when its add is acknowledged or a read first returns it. Of the
 * reads that begin after that point: if the latest one lacks it, it is <b>lost</b>; otherwise it is
 * present at the end (<b>ok</b> if its add was acknowledged, <b>recovered</b> if the add was
 * indeterminate), and <b>stale</b> if some of those reads lacked it. Elements read but never added are
 * <b>unexpected</b>; known elements no read began after are <b>never-read</b>. Lost and unexpected
 * elements are invalid; stale ones only when {@code linearizable} (ZooKeeper's plain reads may be stale).
 * Cost: O(total read size + n log n).
 */
public final class SetChecker implements Checker {
    public static final String NAME = "set";
    private final boolean linearizable;

    public SetChecker() {
        this(false);
    }

    public SetChecker(boolean linearizable) {
        this.linearizable = linearizable;
    }

    @Override
    public String name() {
        return NAME;
    }

    private static final class Element {
        final Object value;
        Call add;               // the add that attempted it (first one)
        long known = Long.MAX_VALUE;
        long knownWitness = -1;
        long lastPresentStart = -1;
        long lastPresentWitness = -1;
        long presentAfterKnown;

        Element(Object value) {
            this.value = value;
        }
    }

    @Override
    public CheckResult check(List<Op> history) {
        List<Call> calls = Calls.of(history);
        Map<Object, Element> elements = new HashMap<>();
        List<Call> reads = new ArrayList<>();
        for (Call c : calls) {
            if (c.f().equals("add")) {
                Element e = elements.computeIfAbsent(Calls.element(c.invoke().value()), Element::new);
                if (e.add == null || (!e.add.ok() && c.ok())) e.add = c;
                if (c.ok() && c.end() < e.known) {
                    e.known = c.end();
                    e.knownWitness = c.end();
                }
            } else if (c.f().equals("read") && c.ok()) {
                reads.add(c);
            }
        }
        // reads are in invocation order; starts[] lets us count reads beginning after a point.
        long[] starts = new long[reads.size()];
        for (int i = 0; i < reads.size(); i++) starts[i] = reads.get(i).start();
        // One pass in invocation order. An element's known point can still move earlier when a later-invoked
        // read completes first, but then every read processed before began before that new point, so none of
        // them was counted as "after known": the counts stay exact.
        for (Call r : reads) {
            long start = r.start(), end = r.end();
            for (Object v : Calls.elements(r.completion().value())) {
                Object el = Calls.element(v);
                Element e = elements.get(el);
                if (e == null) {
                    e = new Element(el);
                    elements.put(el, e);
                }
                if (end < e.known) {
                    e.known = end;
                    e.knownWitness = end;
                }
                if (start > e.known) {
                    e.presentAfterKnown++;
                    if (start > e.lastPresentStart) {
                        e.lastPresentStart = start;
                        e.lastPresentWitness = end;
                    }
                }
            }
        }
        List<Anomaly> anomalies = new ArrayList<>();
        List<Object> lost = new ArrayList<>(), unexpected = new ArrayList<>(), recovered = new ArrayList<>(),
                stale = new ArrayList<>(), neverRead = new ArrayList<>();
        long ok = 0, attempted = 0, acknowledged = 0;
        for (Element e : elements.values()) {
            if (e.add != null) attempted++;
            if (e.add != null && e.add.ok()) acknowledged++;
            if (e.add == null) {
                unexpected.add(e.value);
                anomalies.add(new Anomaly("unexpected", "element " + e.value + " was read but never added",
                        List.of(e.knownWitness)));
                continue;
            }
            if (e.add.failed() && e.known == Long.MAX_VALUE) continue;
            if (e.known == Long.MAX_VALUE) continue; // indeterminate add never seen: nothing to say
            int after = readsStartingAfter(starts, e.known);
            if (after == 0) {
                // Seen only by the last read(s): present at the end if a read revealed it, else never read.
                if (e.add.ok()) neverRead.add(e.value);
                else recovered.add(e.value);
                continue;
            }
            long absentAfterKnown = after - e.presentAfterKnown;
            int afterLastPresent = readsStartingAfter(starts, Math.max(e.known, e.lastPresentStart));
            if (afterLastPresent > 0) {
                lost.add(e.value);
                long lastAbsent = reads.get(reads.size() - 1).end();
                anomalies.add(new Anomaly("lost", "element " + e.value + " was "
                        + (e.add.ok() ? "acknowledged" : "read") + " but is missing from every read that began after "
                        + (e.lastPresentStart >= 0 ? "it was last seen" : "that"),
                        e.lastPresentWitness >= 0 ? List.of(e.knownWitness, e.lastPresentWitness, lastAbsent)
                                : List.of(e.knownWitness, lastAbsent)));
                continue;
            }
            if (e.add.ok()) ok++;
            else recovered.add(e.value);
            if (absentAfterKnown > 0) {
                stale.add(e.value);
                if (linearizable) {
                    anomalies.add(new Anomaly("stale", "element " + e.value + " was missing from "
                            + absentAfterKnown + " read(s) that began after it was known",
                            List.of(e.knownWitness, e.lastPresentWitness)));
                }
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("attempt-count", attempted);
        details.put("acknowledged-count", acknowledged);
        details.put("ok-count", ok);
        details.put("lost-count", (long) lost.size());
        details.put("unexpected-count", (long) unexpected.size());
        details.put("recovered-count", (long) recovered.size());
        details.put("stale-count", (long) stale.size());
        details.put("never-read-count", (long) neverRead.size());
        details.put("lost", sample(lost));
        details.put("unexpected", sample(unexpected));
        details.put("stale", sample(stale));
        details.put("read-count", (long) reads.size());
        anomalies.sort(java.util.Comparator.comparing(a -> a.witnesses().get(0)));
        Verdict verdict = !anomalies.isEmpty() ? Verdict.INVALID
                : reads.isEmpty() ? Verdict.UNKNOWN : Verdict.VALID;
        String summary = reads.isEmpty() ? "no successful read: nothing to check"
                : ok + " ok, " + lost.size() + " lost, " + unexpected.size() + " unexpected, " + recovered.size()
                        + " recovered, " + stale.size() + " stale, " + neverRead.size() + " never read";
        return new CheckResult(NAME, verdict, summary, anomalies, details);
    }

    private static int readsStartingAfter(long[] starts, long point) {
        int i = Arrays.binarySearch(starts, point + 1);
        if (i < 0) i = -i - 1;
        return starts.length - i;
    }

    private static List<Object> sample(List<Object> values) {
        List<Object> sorted = new ArrayList<>(values);
        sorted.sort((a, b) -> String.valueOf(a).compareTo(String.valueOf(b)));
        return sorted.size() > 100 ? List.copyOf(sorted.subList(0, 100)) : List.copyOf(sorted);
    }
}
