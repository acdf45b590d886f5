package io.faultline.checker;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one checker concluded about one history.
 *
 * @param checker   the checker's name (as given to --checker)
 * @param verdict   valid, invalid or unknown
 * @param summary   one line for people
 * @param anomalies every violation found, with witnesses
 * @param details   checker-specific data for the JSON result and the report (plain data only)
 */
public record CheckResult(String checker, Verdict verdict, String summary, List<Anomaly> anomalies,
                          Map<String, Object> details) {
    public CheckResult {
        anomalies = List.copyOf(anomalies);
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    /** Anomaly counts by kind, sorted by kind. */
    public Map<String, Long> anomalyCounts() {
        Map<String, Long> counts = new TreeMap<>();
        for (Anomaly a : anomalies) counts.merge(a.kind(), 1L, Long::sum);
        return counts;
    }
}
