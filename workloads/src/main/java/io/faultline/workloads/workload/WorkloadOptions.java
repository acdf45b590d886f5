package io.faultline.workloads.workload;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a workload needs to build its clients, generator and checkers.
 *
 * @param endpoints      the nodes clients may connect to; worker w uses endpoints[w % size]
 * @param leader         the current leader's endpoint (for leader-only reads), or null when unknown
 * @param concurrency    number of workers
 * @param readMode       plain | sync | leader
 * @param opTimeout      per-op timeout: no reply by then is an info completion
 * @param sessionTimeout the ZooKeeper session timeout clients ask for
 * @param opsPerKey      independent keys: how many ops each key gets before the next key
 * @param root           the znode under which the workload keeps its data
 */
public record WorkloadOptions(List<Endpoint> endpoints, Supplier<Endpoint> leader, int concurrency, String readMode,
                              Duration opTimeout, Duration sessionTimeout, int opsPerKey, String root) {
    public static final List<String> READ_MODES = List.of("plain", "sync", "leader");

    public WorkloadOptions {
        endpoints = List.copyOf(endpoints);
        if (!READ_MODES.contains(readMode)) {
            throw new IllegalArgumentException("read mode must be one of " + READ_MODES + ", got '" + readMode + "'");
        }
    }

    public Endpoint endpointFor(int worker) {
        if ("leader".equals(readMode) && leader != null) {
            Endpoint l = leader.get();
            if (l != null) return l;
        }
        return endpoints.get(worker % endpoints.size());
    }
}
