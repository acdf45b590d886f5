package io.faultline.checker.jepsen;

import io.faultline.checker.Anomaly;
import io.faultline.checker.CheckResult;
import io.faultline.checker.Checker;
import io.faultline.checker.Verdict;
import io.faultline.checker.history.Op;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Jepsen's stats checker: ok / fail / info counts per f. Invalid when some f never succeeded
 * (anomaly {@code never-succeeded}), since a workload whose op always fails tests nothing.
 * Never-completed calls count as info.
 */
public final class StatsChecker implements Checker {
    public static final String NAME = "stats";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CheckResult check(List<Op> history) {
        Map<String, long[]> byF = new TreeMap<>(); // ok, fail, info
        Map<String, Long> firstInvoke = new TreeMap<>();
        for (Call c : Calls.of(history)) {
            long[] counts = byF.computeIfAbsent(c.f(), k -> new long[3]);
            counts[switch (c.type()) {
                case OK -> 0;
                case FAIL -> 1;
                default -> 2;
            }]++;
            firstInvoke.putIfAbsent(c.f(), c.start());
        }
        List<Anomaly> anomalies = new ArrayList<>();
        Map<String, Object> perF = new LinkedHashMap<>();
        List<String> neverOk = new ArrayList<>();
        long ok = 0, fail = 0, info = 0;
        for (var e : byF.entrySet()) {
            long[] c = e.getValue();
            ok += c[0];
            fail += c[1];
            info += c[2];
            perF.put(e.getKey(), Map.of("count", c[0] + c[1] + c[2], "ok-count", c[0], "fail-count", c[1],
                    "info-count", c[2]));
            if (c[0] == 0) {
                neverOk.add(e.getKey());
                anomalies.add(new Anomaly("never-succeeded", "no " + e.getKey() + " op succeeded ("
                        + c[1] + " failed, " + c[2] + " indeterminate)", List.of(firstInvoke.get(e.getKey()))));
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("count", ok + fail + info);
        details.put("ok-count", ok);
        details.put("fail-count", fail);
        details.put("info-count", info);
        details.put("by-f", perF);
        Verdict verdict = anomalies.isEmpty() ? Verdict.VALID : Verdict.INVALID;
        String summary = anomalies.isEmpty()
                ? (ok + fail + info) + " ops: " + ok + " ok, " + fail + " fail, " + info + " info"
                : "never succeeded: " + String.join(", ", neverOk);
        return new CheckResult(NAME, verdict, summary, anomalies, details);
    }
}
