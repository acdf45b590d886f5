package io.faultline.chaos.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** What every backend's node shares: its id, directories, addresses, zoo.cfg and srvr status. */
public abstract class AbstractNode implements Node {
    /** Main class each node JVM runs (after {@link NodeLauncher}), per server kind. */
    public static final String REFERENCE_MAIN = "io.faultline.server.Main";

    protected final ClusterSpec spec;
    protected final int id;
    protected final Path home;
    /** True between start() and stop()/kill(): the harness wants this node up. */
    protected volatile boolean wanted;

    protected AbstractNode(ClusterSpec spec, int id, Path clusterHome) {
        this.spec = spec;
        this.id = id;
        this.home = clusterHome.resolve("n" + id);
    }

    public static String mainClass(ServerKind kind) {
        return switch (kind) {
            case ZOOKEEPER -> ProxiedQuorumPeerMain.class.getName();
            case REFERENCE -> REFERENCE_MAIN;
        };
    }

    /** Writes zoo.cfg and myid (again: wipe may have removed the data directory). */
    protected void writeConfig() throws IOException {
        Files.createDirectories(dataDir());
        Files.createDirectories(logFile().getParent());
        Files.writeString(configFile(), ZooCfg.render(spec, id, dataDir()), StandardCharsets.UTF_8);
        Files.writeString(dataDir().resolve("myid"), id + "\n", StandardCharsets.UTF_8);
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public boolean voter() {
        return spec.isVoter(id);
    }

    public Path home() {
        return home;
    }

    @Override
    public Path logFile() {
        return home.resolve("logs").resolve("node.log");
    }

    @Override
    public Path dataDir() {
        return home.resolve("data");
    }

    @Override
    public Path configFile() {
        return home.resolve("zoo.cfg");
    }

    @Override
    public void wipe() throws IOException {
        if (running()) throw new IllegalStateException("node " + id + " is running; stop or kill it before wiping");
        Dirs.deleteTree(dataDir());
        writeConfig();
    }

    @Override
    public InetSocketAddress peerAddress() {
        return spec.addresses().quorumAddress(id);
    }

    @Override
    public InetSocketAddress electionAddress() {
        return spec.addresses().electionAddress(id);
    }

    @Override
    public InetSocketAddress clientAddress() {
        return spec.addresses().clientAddress(id);
    }

    @Override
    public InetSocketAddress proxiedClientAddress() {
        return spec.addresses().proxiedClientAddress(id);
    }

    @Override
    public NodeStatus status() {
        if (paused()) return NodeStatus.UNREACHABLE; // a frozen node would only make srvr wait
        return FourLetterWords.status(clientAddress(), Duration.ofMillis(1500));
    }

    /** True if the harness started this node and did not stop it, yet it is not running. */
    public boolean crashed() {
        return wanted && !running();
    }

    /** The last {@code lines} lines of the node's log, for error messages. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public String toString() {
        return spec.name() + "/n" + id;
    }
}
