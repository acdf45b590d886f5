package io.faultline.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/** Test helpers: an in-process reference server on 127.0.1.x and connected official clients. */
final class TestServer {
    private TestServer() {}

    static ServerConfig config(Path dir, String host, Map<String, String> extra) {
        var m = new HashMap<String, String>();
        m.put("tickTime", "500");
        m.put("dataDir", dir.toString());
        m.put("clientPortAddress", host);
        m.put("clientPort", "0");
        m.put("4lw.commands.whitelist", "*");
        m.put("maxClientCnxns", "0");
        m.putAll(extra);
        return ServerConfig.parse(m, null);
    }

    static ZkServer start(Path dir, String host) throws IOException {
        return ZkServer.start(config(dir, host, Map.of()));
    }

    static ZooKeeper connect(String connectString, int timeoutMs, Watcher extra) throws Exception {
        var connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connectString, timeoutMs, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) connected.countDown();
            if (extra != null) extra.process(e);
        });
        if (!connected.await(10, TimeUnit.SECONDS)) {
            zk.close();
            throw new IllegalStateException("client did not connect to " + connectString);
        }
        return zk;
    }

    static String fourLetter(String host, int port, String cmd) throws IOException {
        try (Socket s = new Socket(host, port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(cmd.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static Path tempDir(String name) throws IOException {
        return Files.createTempDirectory("faultline-" + name);
    }
}
