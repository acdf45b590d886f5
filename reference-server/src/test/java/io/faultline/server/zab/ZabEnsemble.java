package io.faultline.server.zab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A ZAB ensemble of faultline servers as child JVMs ({@code java -cp <test classpath> io.faultline.server.Main
 * zoo.cfg}) on 127.0.5.N, one dataDir each. Voters first, then observers. Always {@link #close()}d by tests.
 */
final class ZabEnsemble implements AutoCloseable {
    static final int CLIENT_PORT = 2181;
    static final int QUORUM_PORT = 2888;
    static final int ELECTION_PORT = 3888;

    final Path dir;
    final int voters;
    final int observers;
    private final String mainClass;
    private final int hostOffset;
    private final Map<Integer, Process> processes = new TreeMap<>();
    /** Extra JVM options (e.g. -D test hooks) per server, used by later {@link #start(int)}s. */
    private final Map<Integer, List<String>> jvmOptions = new TreeMap<>();
    /** Children still running if the test JVM itself goes away: killed by a shutdown hook. */
    private static final java.util.Set<Process> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly)));
    }

    ZabEnsemble(Path dir, int voters, int observers) throws IOException {
        this(dir, voters, observers, "io.faultline.server.Main", 0, 500, 10, 4);
    }

    /**
     * @param mainClass  io.faultline.server.Main, or org.apache.zookeeper.server.quorum.QuorumPeerMain to run
     *                   Apache ZooKeeper with the same zoo.cfg (benchmarks)
     * @param hostOffset servers bind 127.0.5.(hostOffset + N)
     */
    ZabEnsemble(Path dir, int voters, int observers, String mainClass, int hostOffset, int tickTime, int initLimit,
            int syncLimit) throws IOException {
        this.dir = dir;
        this.voters = voters;
        this.observers = observers;
        this.mainClass = mainClass;
        this.hostOffset = hostOffset;
        StringBuilder servers = new StringBuilder();
        for (int i = 1; i <= voters + observers; i++) {
            servers.append("server.").append(i).append('=').append(hostOf(i)).append(':').append(QUORUM_PORT).append(':')
                    .append(ELECTION_PORT).append(i > voters ? ":observer" : "").append('\n');
        }
        for (int i = 1; i <= voters + observers; i++) {
            Path data = dir.resolve("server" + i);
            Files.createDirectories(data);
            Files.writeString(data.resolve("myid"), i + "\n");
            Files.writeString(dir.resolve("zoo" + i + ".cfg"), "tickTime=" + tickTime + "\ninitLimit=" + initLimit
                    + "\nsyncLimit=" + syncLimit + "\nadmin.enableServer=false\n"
                    + "dataDir=" + data + "\nclientPort=" + CLIENT_PORT + "\nclientPortAddress=" + hostOf(i) + "\n"
                    + "maxClientCnxns=0\n4lw.commands.whitelist=*\n" + (i > voters ? "peerType=observer\n" : "")
                    + servers);
        }
    }

    String hostOf(int i) {
        return "127.0.5." + (hostOffset + i);
    }

    String connectString(int... ids) {
        List<String> parts = new ArrayList<>();
        for (int i : ids) {
            parts.add(hostOf(i) + ":" + CLIENT_PORT);
        }
        return String.join(",", parts);
    }

    int size() {
        return voters + observers;
    }

    void startAll() throws IOException {
        for (int i = 1; i <= size(); i++) {
            start(i);
        }
    }

    /** An official client, connected (SyncConnected) to one of the servers in connectString. */
    static org.apache.zookeeper.ZooKeeper connect(String connectString) throws Exception {
        java.util.concurrent.CountDownLatch connected = new java.util.concurrent.CountDownLatch(1);
        org.apache.zookeeper.ZooKeeper zk = new org.apache.zookeeper.ZooKeeper(connectString, 10_000, e -> {
            if (e.getState() == org.apache.zookeeper.Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        if (!connected.await(20, TimeUnit.SECONDS)) {
            zk.close();
            throw new AssertionError("could not connect to " + connectString);
        }
        return zk;
    }

    /** Whether path exists as seen by zk; false when the client cannot tell (disconnected). */
    static boolean exists(org.apache.zookeeper.ZooKeeper zk, String path) {
        try {
            return zk.exists(path, false) != null;
        } catch (Exception e) {
            return false;
        }
    }

    /** How many voters report this srvr mode. */
    int countMode(String mode) {
        int n = 0;
        for (int i = 1; i <= voters; i++) {
            if (mode.equals(mode(i))) {
                n++;
            }
        }
        return n;
    }

    /** Appends zoo.cfg lines to every server's configuration (before it starts). */
    void extraConfig(String lines) throws IOException {
        for (int i = 1; i <= size(); i++) {
            Files.writeString(dir.resolve("zoo" + i + ".cfg"), lines + "\n", java.nio.file.StandardOpenOption.APPEND);
        }
    }

    Path dataDir(int i) {
        return dir.resolve("server" + i);
    }

    /** Everything server i logged so far (all its runs). */
    String log(int i) {
        try {
            return Files.readString(dir.resolve("server" + i + ".log"));
        } catch (IOException e) {
            return "";
        }
    }

    void jvmOptions(int i, String... options) {
        jvmOptions.put(i, List.of(options));
    }

    void start(int i) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions.getOrDefault(i, List.of()));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass,
                dir.resolve("zoo" + i + ".cfg").toString()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server" + i + ".log").toFile()));
        Process p = pb.start();
        LIVE.add(p);
        processes.put(i, p);
    }

    /** kill -9. */
    void kill(int i) throws InterruptedException {
        Process p = processes.remove(i);
        if (p != null) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            LIVE.remove(p);
        }
    }

    void killAll() throws InterruptedException {
        for (int i : List.copyOf(processes.keySet())) {
            kill(i);
        }
    }

    boolean isRunning(int i) {
        Process p = processes.get(i);
        return p != null && p.isAlive();
    }

    /** The answer to a four-letter word, or "" if the server does not answer. */
    String fourLetterWord(int i, String cmd) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(hostOf(i), CLIENT_PORT), 500);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write(cmd.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Mode from srvr: leader, follower, observer, or null if not serving / not answering. */
    String mode(int i) {
        for (String line : fourLetterWord(i, "srvr").split("\n")) {
            if (line.startsWith("Mode: ")) {
                String mode = line.substring(6).trim();
                return mode.equals("looking") ? null : mode;
            }
        }
        return null;
    }

    /** The one server whose srvr says leader, once every running voter reports a mode; -1 if none. */
    int leader() {
        int leader = -1;
        for (int i = 1; i <= voters; i++) {
            if (isRunning(i) && "leader".equals(mode(i))) {
                leader = i;
            }
        }
        return leader;
    }

    static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    String logs() {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= size(); i++) {
            try {
                List<String> lines = Files.readAllLines(dir.resolve("server" + i + ".log"));
                sb.append("---- server ").append(i).append(" (last lines)\n");
                for (String l : lines.subList(Math.max(0, lines.size() - 25), lines.size())) {
                    sb.append(l).append('\n');
                }
            } catch (IOException e) {
                sb.append("---- server ").append(i).append(": no log\n");
            }
        }
        return sb.toString();
    }

    @Override
    public void close() throws InterruptedException {
        killAll();
    }
}
