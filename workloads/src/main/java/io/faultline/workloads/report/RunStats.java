package io.faultline.workloads.report;

import io.faultline.checker.history.Op;
import io.faultline.checker.history.OpType;
import io.faultline.workloads.runner.Interpreter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Client ops paired up (invoke with completion) and the figures the report and compare show. */
public final class RunStats {
    /** One client op: when invoked, when completed (or -1 if never), how it ended. */
    public record Call(long process, String f, long invokeNanos, long completeNanos, OpType type, long invokeIndex,
                       long completeIndex) {
        public double latencyMs() {
            return completeNanos < 0 ? Double.NaN : (completeNanos - invokeNanos) / 1e6;
        }
    }

    /** A fault window: from a nemesis start-X to its stop-X (or to the end of the run). */
    public record FaultWindow(String fault, long startNanos, long endNanos) {}

    private final List<Call> calls;
    private final List<FaultWindow> faults;
    private final long endNanos;

    private RunStats(List<Call> calls, List<FaultWindow> faults, long endNanos) {
        this.calls = calls;
        this.faults = faults;
        this.endNanos = endNanos;
    }

    public static RunStats of(List<Op> history) {
        Map<Long, Op> open = new HashMap<>();
        List<Call> calls = new ArrayList<>();
        List<FaultWindow> faults = new ArrayList<>();
        Map<String, Long> faultStart = new LinkedHashMap<>();
        long end = 0;
        for (Op op : history) {
            end = Math.max(end, op.time());
            if (op.isNemesis()) {
                // nemesis entries come in pairs (before and after the action): use the later one
                if (op.f().startsWith("start-")) faultStart.putIfAbsent(op.f().substring(6), op.time());
                else if (op.f().startsWith("stop-")) {
                    Long s = faultStart.remove(op.f().substring(5));
                    if (s != null) faults.add(new FaultWindow(op.f().substring(5), s, op.time()));
                } else if (op.f().equals("heal-all")) {
                    for (var e : faultStart.entrySet()) faults.add(new FaultWindow(e.getKey(), e.getValue(), op.time()));
                    faultStart.clear();
                }
                continue;
            }
            // events, and the workers' closes of sessions they gave up, are no client ops
            if (op.process() >= Interpreter.EVENT_PROCESS_BASE || op.get(Interpreter.CLOSED_BY) != null) continue;
            if (op.isInvoke()) {
                open.put(op.process(), op);
            } else {
                Op inv = open.remove(op.process());
                if (inv != null) calls.add(new Call(op.process(), op.f(), inv.time(), op.time(), op.type(), inv.index(), op.index()));
            }
        }
        for (Op inv : open.values()) calls.add(new Call(inv.process(), inv.f(), inv.time(), -1, OpType.INFO, inv.index(), -1));
        for (var e : faultStart.entrySet()) faults.add(new FaultWindow(e.getKey(), e.getValue(), end));
        calls.sort((a, b) -> Long.compare(a.invokeNanos, b.invokeNanos));
        return new RunStats(calls, faults, end);
    }

    public List<Call> calls() {
        return calls;
    }

    public List<FaultWindow> faults() {
        return faults;
    }

    public long endNanos() {
        return endNanos;
    }

    public long count(OpType type) {
        return calls.stream().filter(c -> c.type == type).count();
    }

    /** Share of client ops that completed ok. */
    public double availability() {
        return calls.isEmpty() ? 0 : (double) count(OpType.OK) / calls.size();
    }

    /** Latency quantiles of ok ops, in ms: 0.5, 0.95, 0.99, 1.0 (max). */
    public Map<String, Double> latencyQuantiles() {
        double[] l = calls.stream().filter(c -> c.type == OpType.OK).mapToDouble(Call::latencyMs).sorted().toArray();
        Map<String, Double> q = new LinkedHashMap<>();
        for (double p : new double[] {0.5, 0.95, 0.99, 1.0}) q.put(p == 1.0 ? "max" : "p" + Math.round(p * 100), quantile(l, p));
        return q;
    }

    static double quantile(double[] sorted, double p) {
        if (sorted.length == 0) return Double.NaN;
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, i)];
    }

    /** Ok ops per second over the whole run. */
    public double throughput() {
        return endNanos <= 0 ? 0 : count(OpType.OK) / (endNanos / 1e9);
    }

    /** Plain data for results.json. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ops", calls.size());
        m.put("ok", count(OpType.OK));
        m.put("fail", count(OpType.FAIL));
        m.put("info", count(OpType.INFO));
        m.put("availability", availability());
        Map<String, Object> lat = new LinkedHashMap<>();
        latencyQuantiles().forEach((k, v) -> lat.put(k, Double.isNaN(v) ? null : v));
        m.put("latency-ms", lat);
        m.put("throughput-ok-per-s", throughput());
        m.put("faults", faults.stream().map(f -> Map.of("fault", f.fault(), "start-ms", f.startNanos() / 1e6, "end-ms", f.endNanos() / 1e6)).toList());
        return m;
    }

    static double[] toArray(List<Double> l) {
        return l.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Override
    public String toString() {
        return "RunStats" + Arrays.toString(new Object[] {calls.size(), faults.size()});
    }
}
