package io.faultline.workloads.zk;

import io.faultline.workloads.runner.NemesisDriver;
import io.faultline.workloads.runner.SystemUnderTest;
import io.faultline.workloads.workload.Endpoint;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.net.InetSocketAddress;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;

/** A standalone Apache ZooKeeper in this JVM on 127.0.4.x, restartable on the same port and data. */
final class EmbeddedZooKeeper implements SystemUnderTest {
    final String host;
    final int port;
    final Path dir;
    private ZooKeeperServer server;
    private ServerCnxnFactory factory;

    EmbeddedZooKeeper(String host, Path dir) throws Exception {
        this.host = host;
        this.dir = dir;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            this.port = s.getLocalPort();
        }
        start();
    }

    synchronized void start() throws Exception {
        java.nio.file.Files.createDirectories(dir);
        // the classic in-process server: ZooKeeperServerEmbedded waits on localhost, not on our 127.0.4.x
        ZooKeeperServer zks = new ZooKeeperServer(dir.resolve("snap").toFile(), dir.resolve("log").toFile(), 200);
        ServerCnxnFactory f = ServerCnxnFactory.createFactory(new InetSocketAddress(host, port), 100);
        f.startup(zks);
        server = zks;
        factory = f;
    }

    synchronized void stop() {
        if (factory != null) factory.shutdown();
        if (server != null) server.shutdown();
        factory = null;
        server = null;
    }

    String connectString() {
        return host + ":" + port;
    }

    @Override public String describe() { return "Apache ZooKeeper 3.9.4 standalone, embedded at " + connectString(); }
    @Override public List<Endpoint> endpoints() { return List.of(new Endpoint("n1", connectString())); }
    @Override public Endpoint leader() { return endpoints().getFirst(); }
    @Override public NemesisDriver nemesis(List<String> faults, long seed, Path events) { return NemesisDriver.NONE; }
    @Override public void awaitHealthy(Duration timeout) {}
    @Override public void collectLogs(Path dir) {}
    @Override public void close() { stop(); }
}
