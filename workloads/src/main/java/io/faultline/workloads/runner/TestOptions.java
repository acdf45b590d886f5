package io.faultline.workloads.runner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything that defines one test run; written to test.json so a run can be repeated.
 *
 * @param name            the test's name (store folder): defaults to system-workload
 * @param system          reference | zookeeper | none
 * @param backend         process | container
 * @param nodes           voting members
 * @param observers       observers
 * @param workload        workload name
 * @param concurrency     client workers
 * @param rate            target ops per second across all workers
 * @param timeLimit       length of the main phase
 * @param nemesis         fault names (partition, kill, pause, latency, ...); empty for none
 * @param nemesisInterval time between fault start and stop, and between faults
 * @param recovery        time after healing before the final phase
 * @param seed            seed of every random choice (generators and nemesis)
 * @param readMode        plain | sync | leader
 * @param opTimeout       per-op timeout
 * @param sessionTimeout  ZooKeeper session timeout clients ask for
 * @param opsPerKey       register: ops per independent key
 * @param leaveRunning    do not tear the cluster down at the end
 * @param store           the store's root folder
 */
public record TestOptions(String name, String system, String backend, int nodes, int observers, String workload,
                          int concurrency, double rate, Duration timeLimit, List<String> nemesis,
                          Duration nemesisInterval, Duration recovery, long seed, String readMode,
                          Duration opTimeout, Duration sessionTimeout, int opsPerKey, boolean leaveRunning,
                          Path store) {
    public static final List<String> SYSTEMS = List.of("reference", "zookeeper", "none");
    public static final List<String> BACKENDS = List.of("process", "container");
    public static final List<String> FAULTS = List.of("partition", "kill", "pause", "latency", "leader-kill", "leader-partition");

    public TestOptions {
        nemesis = List.copyOf(nemesis);
        if (name == null || name.isBlank()) name = system + "-" + workload;
    }

    /** Sensible defaults for a register test of the reference server. */
    public static TestOptions defaults() {
        return new TestOptions(null, "reference", "process", 3, 0, "register", 5, 50, Duration.ofSeconds(60),
                List.of("partition", "kill"), Duration.ofSeconds(5), Duration.ofSeconds(5), System.nanoTime(),
                "sync", Duration.ofSeconds(5), Duration.ofSeconds(10), 200, false, Path.of("store"));
    }

    /** Checks option values; returns a list of problems (empty when fine). */
    public List<String> problems() {
        List<String> p = new java.util.ArrayList<>();
        if (!SYSTEMS.contains(system)) p.add("--system must be one of " + SYSTEMS + ", got '" + system + "'");
        if (!BACKENDS.contains(backend)) p.add("--backend must be one of " + BACKENDS + ", got '" + backend + "'");
        if (nodes < 1 || nodes > 9) p.add("--nodes must be between 1 and 9, got " + nodes);
        if (observers < 0 || observers > 5) p.add("--observers must be between 0 and 5, got " + observers);
        if (concurrency < 1 || concurrency > 1000) p.add("--concurrency must be between 1 and 1000, got " + concurrency);
        if (!(rate > 0)) p.add("--rate must be > 0, got " + rate);
        if (timeLimit.isNegative() || timeLimit.isZero()) p.add("--time-limit must be positive, got " + timeLimit);
        for (String f : nemesis) if (!FAULTS.contains(f)) p.add("unknown fault '" + f + "' in --nemesis; known: " + FAULTS + ", all, none");
        if (nemesisInterval.isNegative() || nemesisInterval.isZero()) p.add("--nemesis-interval must be positive");
        if (!io.faultline.workloads.workload.WorkloadOptions.READ_MODES.contains(readMode)) {
            p.add("--read-mode must be one of " + io.faultline.workloads.workload.WorkloadOptions.READ_MODES + ", got '" + readMode + "'");
        }
        if (opsPerKey < 1) p.add("--ops-per-key must be >= 1");
        return p;
    }

    /** Plain data for test.json. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("system", system);
        m.put("backend", backend);
        m.put("nodes", nodes);
        m.put("observers", observers);
        m.put("workload", workload);
        m.put("concurrency", concurrency);
        m.put("rate", rate);
        m.put("time-limit-ms", timeLimit.toMillis());
        m.put("nemesis", nemesis);
        m.put("nemesis-interval-ms", nemesisInterval.toMillis());
        m.put("recovery-ms", recovery.toMillis());
        m.put("seed", seed);
        m.put("read-mode", readMode);
        m.put("op-timeout-ms", opTimeout.toMillis());
        m.put("session-timeout-ms", sessionTimeout.toMillis());
        m.put("ops-per-key", opsPerKey);
        m.put("leave-running", leaveRunning);
        m.put("store", store.toString());
        return m;
    }

    /** Reads test.json back. */
    @SuppressWarnings("unchecked")
    public static TestOptions fromJson(Map<String, Object> m) {
        return new TestOptions((String) m.get("name"), (String) m.get("system"), (String) m.get("backend"),
                ((Number) m.get("nodes")).intValue(), ((Number) m.get("observers")).intValue(), (String) m.get("workload"),
                ((Number) m.get("concurrency")).intValue(), ((Number) m.get("rate")).doubleValue(),
                Duration.ofMillis(((Number) m.get("time-limit-ms")).longValue()), (List<String>) m.get("nemesis"),
                Duration.ofMillis(((Number) m.get("nemesis-interval-ms")).longValue()),
                Duration.ofMillis(((Number) m.get("recovery-ms")).longValue()), ((Number) m.get("seed")).longValue(),
                (String) m.get("read-mode"), Duration.ofMillis(((Number) m.get("op-timeout-ms")).longValue()),
                Duration.ofMillis(((Number) m.get("session-timeout-ms")).longValue()),
                ((Number) m.get("ops-per-key")).intValue(), Boolean.TRUE.equals(m.get("leave-running")),
                Path.of((String) m.get("store")));
    }

    public TestOptions withName(String n) {
        return new TestOptions(n, system, backend, nodes, observers, workload, concurrency, rate, timeLimit, nemesis,
                nemesisInterval, recovery, seed, readMode, opTimeout, sessionTimeout, opsPerKey, leaveRunning, store);
    }

    public TestOptions withSystem(String s) {
        return new TestOptions(name, s, backend, nodes, observers, workload, concurrency, rate, timeLimit, nemesis,
                nemesisInterval, recovery, seed, readMode, opTimeout, sessionTimeout, opsPerKey, leaveRunning, store);
    }

    public TestOptions withSeed(long s) {
        return new TestOptions(name, system, backend, nodes, observers, workload, concurrency, rate, timeLimit, nemesis,
                nemesisInterval, recovery, s, readMode, opTimeout, sessionTimeout, opsPerKey, leaveRunning, store);
    }
}
