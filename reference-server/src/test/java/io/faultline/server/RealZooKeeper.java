package io.faultline.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

/** Apache ZooKeeper 3.9.4 standalone, in-process, on a 127.0.1.x address: the system we compare against. */
final class RealZooKeeper implements AutoCloseable {
    final String host;
    final int port;
    private final ZooKeeperServerEmbedded server;

    private RealZooKeeper(String host, int port, ZooKeeperServerEmbedded server) {
        this.host = host;
        this.port = port;
        this.server = server;
    }

    static RealZooKeeper start(Path dir, String host) throws Exception {
        int port = freePort(host);
        var p = new Properties();
        p.setProperty("tickTime", "500");
        p.setProperty("dataDir", dir.resolve("data").toString());
        p.setProperty("clientPort", Integer.toString(port));
        p.setProperty("clientPortAddress", host);
        p.setProperty("4lw.commands.whitelist", "*");
        p.setProperty("admin.enableServer", "false");
        p.setProperty("maxClientCnxns", "0");
        var server = ZooKeeperServerEmbedded.builder().baseDir(dir).configuration(p).exitHandler(ExitHandler.LOG_ONLY).build();
        server.start(30_000);
        return new RealZooKeeper(host, port, server);
    }

    String connectString() { return host + ":" + port; }

    static int freePort(String host) throws IOException {
        try (var s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
