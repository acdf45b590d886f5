package io.faultline.checker.jepsen;

import io.faultline.checker.Anomaly;
import io.faultline.checker.CheckResult;
import io.faultline.checker.Checker;
import io.faultline.checker.Verdict;
import io.faultline.checker.history.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Jepsen's unique-ids checker: every acknowledged {@code generate} returned a distinct id. */
public final class UniqueIdsChecker implements Checker {
    public static final String NAME = "unique-ids";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CheckResult check(List<Op> history) {
        Map<Object, List<Long>> seen = new HashMap<>();
        long attempted = 0, acknowledged = 0;
        Object lowest = null, highest = null;
        for (Call c : Calls.of(history)) {
            if (!c.f().equals("generate")) continue;
            attempted++;
            if (!c.ok() || c.completion().value() == null) continue;
            acknowledged++;
            Object id = Calls.element(c.completion().value());
            seen.computeIfAbsent(id, k -> new ArrayList<>(1)).add(c.completion().index());
            Long n = Calls.asLong(id);
            if (n != null) {
                if (lowest == null || n < (Long) lowest) lowest = n;
                if (highest == null || n > (Long) highest) highest = n;
            }
        }
        List<Anomaly> anomalies = new ArrayList<>();
        for (var e : seen.entrySet()) {
            if (e.getValue().size() > 1) {
                anomalies.add(new Anomaly("duplicate-id", "id " + e.getKey() + " was generated "
                        + e.getValue().size() + " times", e.getValue()));
            }
        }
        anomalies.sort(java.util.Comparator.comparing(a -> a.witnesses().get(0)));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("attempted-count", attempted);
        details.put("acknowledged-count", acknowledged);
        details.put("duplicated-count", (long) anomalies.size());
        if (lowest != null) details.put("range", List.of(lowest, highest));
        Verdict verdict = anomalies.isEmpty() ? Verdict.VALID : Verdict.INVALID;
        String summary = anomalies.isEmpty()
                ? acknowledged + " acknowledged ids, all distinct"
                : anomalies.size() + " id(s) generated more than once";
        return new CheckResult(NAME, verdict, summary, anomalies, details);
    }
}
