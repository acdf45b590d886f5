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
import java.util.Set;

/**
 * Mutual exclusion for {@code acquire} / {@code release}. A process certainly holds the lock from its
 * acquire's ok until the first of: its next release's invocation, {@code lease-ms} after the acquire's
 * invocation, a session-loss event ({@code session-event} with state Expired/Disconnected/Closed) of
 * the acquiring session. Two such intervals of different processes overlapping is a
 * {@code mutex-violation}. An ok release by a process that holds nothing is {@code release-unheld}.
 * Times are the ops' {@code time} when every op has one (leases need it), history order otherwise.
 * O(n log n).
 */
public final class LockChecker implements Checker {
    public static final String NAME = "lock";
    private static final Set<String> LOSS_STATES = Set.of("Expired", "Disconnected", "Closed");

    @Override
    public String name() {
        return NAME;
    }

    private record Hold(Call acquire, long from, long until, String endedBy, long endWitness) {}

    @Override
    public CheckResult check(List<Op> history) {
        boolean timed = !history.isEmpty() && history.stream().allMatch(o -> o.time() >= 0);
        List<Call> calls = Calls.of(history);
        // session -> sorted times of session loss events
        Map<Long, List<long[]>> losses = new HashMap<>();
        for (Call c : calls) {
            if (c.f().equals("session-event") && c.ok() && LOSS_STATES.contains(String.valueOf(c.extra("state")))
                    && c.last().session() != null) {
                losses.computeIfAbsent(c.last().session(), k -> new ArrayList<>())
                        .add(new long[] {at(c.last(), timed), c.end()});
            }
        }
        Map<Long, Call> held = new HashMap<>(); // process -> ok acquire not yet released
        List<Hold> holds = new ArrayList<>();
        List<Anomaly> anomalies = new ArrayList<>();
        long acquires = 0, releases = 0;
        for (Call c : calls) {
            if (c.f().equals("acquire")) {
                if (!c.ok()) continue;
                acquires++;
                Call before = held.put(c.process(), c);
                if (before != null) holds.add(hold(before, Long.MAX_VALUE, -1, "reacquire", timed, losses));
            } else if (c.f().equals("release")) {
                Call acq = held.remove(c.process());
                if (acq != null) {
                    holds.add(hold(acq, at(c.invoke(), timed), c.start(), "release", timed, losses));
                    if (c.failed()) held.put(c.process(), acq); // still holding, but not certainly after this point
                } else if (c.ok()) {
                    anomalies.add(new Anomaly("release-unheld", "process " + c.process()
                            + " released a lock it did not hold", List.of(c.start(), c.end())));
                }
                if (c.ok()) releases++;
            }
        }
        for (Call acq : held.values()) holds.add(hold(acq, Long.MAX_VALUE, -1, "end of history", timed, losses));
        holds.removeIf(h -> h.until <= h.from);
        holds.sort(Comparator.comparingLong(Hold::from));
        Hold widest = null;
        long violations = 0;
        for (Hold h : holds) {
            if (widest != null && h.from < widest.until && h.acquire.process() != widest.acquire.process()) {
                violations++;
                List<Long> witnesses = new ArrayList<>(List.of(widest.acquire.end(), h.acquire.end()));
                if (widest.endWitness >= 0) witnesses.add(widest.endWitness);
                anomalies.add(new Anomaly("mutex-violation", "processes " + widest.acquire.process() + " and "
                        + h.acquire.process() + " held the lock at the same time (the first held it until its "
                        + widest.endedBy + ")", witnesses));
            }
            if (widest == null || h.until > widest.until) widest = h;
        }
        anomalies.sort(Comparator.comparing(a -> a.witnesses().get(0)));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("acquire-count", acquires);
        details.put("release-count", releases);
        details.put("hold-count", (long) holds.size());
        details.put("overlap-count", violations);
        details.put("time-basis", timed ? "time" : "history order");
        Verdict verdict = anomalies.isEmpty() ? Verdict.VALID : Verdict.INVALID;
        String summary = anomalies.isEmpty() ? holds.size() + " holds, never two at once"
                : violations + " overlapping hold(s), " + (anomalies.size() - violations) + " release(s) of an unheld lock";
        return new CheckResult(NAME, verdict, summary, anomalies, details);
    }

    private static long at(Op op, boolean timed) {
        return timed ? op.time() : op.index();
    }

    private static Hold hold(Call acq, long releasedAt, long releaseWitness, String endedBy, boolean timed,
                             Map<Long, List<long[]>> losses) {
        long from = at(acq.completion(), timed);
        long until = releasedAt;
        long witness = releaseWitness;
        Object lease = acq.extra("lease-ms");
        Long leaseMs = Calls.asLong(lease);
        if (timed && leaseMs != null && acq.invoke().time() + leaseMs * 1_000_000L < until) {
            until = acq.invoke().time() + leaseMs * 1_000_000L;
            endedBy = "lease of " + leaseMs + " ms ran out";
            witness = -1;
        }
        Long session = acq.completion().session();
        if (session != null) {
            for (long[] loss : losses.getOrDefault(session, List.of())) {
                if (loss[0] > from && loss[0] < until) {
                    until = loss[0];
                    endedBy = "session was lost";
                    witness = loss[1];
                    break; // losses are in history order; the first after the acquire ends the hold
                }
            }
        }
        return new Hold(acq, from, until, endedBy, witness);
    }
}
