package io.faultline.chaos.cluster;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything needed to build a cluster: which server, where, how many voters and observers, the
 * ZooKeeper-style timing, and extra zoo.cfg lines. Voters get ids 1..voters, observers the ids
 * after them. Immutable; change it with the {@code with*} methods.
 *
 * @param name names proxies, containers and processes; keep it unique among live clusters
 * @param system reference server or Apache ZooKeeper
 * @param backend child processes or containers
 * @param voters number of voting members (1 = standalone)
 * @param observers number of non-voting members
 * @param tickTimeMs ZooKeeper tickTime
 * @param initLimit ticks a follower may take to connect and sync
 * @param syncLimit ticks a follower may lag
 * @param addresses node and proxy addresses
 * @param dataRoot each node keeps {@code dataRoot/name/n<id>/{data,logs}} here
 * @param extraConfig extra zoo.cfg lines, written after the generated ones
 * @param jvmOptions options for each node JVM
 */
public record ClusterSpec(String name, ServerKind system, Backend backend, int voters, int observers,
                          int tickTimeMs, int initLimit, int syncLimit, AddressPlan addresses, Path dataRoot,
                          Map<String, String> extraConfig, List<String> jvmOptions) {

    public static final List<String> DEFAULT_JVM_OPTIONS =
            List.of("-Xmx192m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData");

    public ClusterSpec {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(addresses, "addresses");
        Objects.requireNonNull(dataRoot, "dataRoot");
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,40}")) {
            throw new IllegalArgumentException("cluster name must match [A-Za-z0-9][A-Za-z0-9._-]{0,40}: " + name);
        }
        if (voters < 1) throw new IllegalArgumentException("need at least one voter, got " + voters);
        if (observers < 0) throw new IllegalArgumentException("observers < 0: " + observers);
        if (voters + observers > 50) throw new IllegalArgumentException("at most 50 nodes");
        if (voters == 1 && observers > 0) throw new IllegalArgumentException("observers need an ensemble (voters >= 2)");
        if (tickTimeMs < 10 || initLimit < 1 || syncLimit < 1) throw new IllegalArgumentException("bad timing");
        extraConfig = Map.copyOf(new LinkedHashMap<>(extraConfig));
        jvmOptions = List.copyOf(jvmOptions);
    }

    /**
     * A cluster of {@code voters} voters on the process backend with tickTime 200 ms, initLimit 10,
     * syncLimit 5, data under {@code java.io.tmpdir/faultline-clusters}.
     */
    public static ClusterSpec of(ServerKind system, int voters, AddressPlan addresses) {
        return new ClusterSpec("faultline", system, Backend.PROCESS, voters, 0, 200, 10, 5, addresses,
                Path.of(System.getProperty("java.io.tmpdir"), "faultline-clusters"), Map.of(), DEFAULT_JVM_OPTIONS);
    }

    public int size() {
        return voters + observers;
    }

    public boolean standalone() {
        return voters == 1 && observers == 0;
    }

    public boolean isVoter(int id) {
        return id >= 1 && id <= voters;
    }

    public ClusterSpec withName(String n) {
        return new ClusterSpec(n, system, backend, voters, observers, tickTimeMs, initLimit, syncLimit, addresses, dataRoot, extraConfig, jvmOptions);
    }

    public ClusterSpec withBackend(Backend b) {
        return new ClusterSpec(name, system, b, voters, observers, tickTimeMs, initLimit, syncLimit, addresses, dataRoot, extraConfig, jvmOptions);
    }

    public ClusterSpec withObservers(int m) {
        return new ClusterSpec(name, system, backend, voters, m, tickTimeMs, initLimit, syncLimit, addresses, dataRoot, extraConfig, jvmOptions);
    }

    public ClusterSpec withTiming(int tickMs, int init, int sync) {
        return new ClusterSpec(name, system, backend, voters, observers, tickMs, init, sync, addresses, dataRoot, extraConfig, jvmOptions);
    }

    public ClusterSpec withAddresses(AddressPlan a) {
        return new ClusterSpec(name, system, backend, voters, observers, tickTimeMs, initLimit, syncLimit, a, dataRoot, extraConfig, jvmOptions);
    }

    public ClusterSpec withDataRoot(Path root) {
        return new ClusterSpec(name, system, backend, voters, observers, tickTimeMs, initLimit, syncLimit, addresses, root, extraConfig, jvmOptions);
    }

    public ClusterSpec withExtraConfig(Map<String, String> extra) {
        return new ClusterSpec(name, system, backend, voters, observers, tickTimeMs, initLimit, syncLimit, addresses, dataRoot, extra, jvmOptions);
    }

    public ClusterSpec withJvmOptions(List<String> options) {
        return new ClusterSpec(name, system, backend, voters, observers, tickTimeMs, initLimit, syncLimit, addresses, dataRoot, extraConfig, options);
    }
}
