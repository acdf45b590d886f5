package io.faultline.server;

import io.faultline.server.persist.CorruptLogException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar faultline-server.jar /path/zoo.cfg} (or {@code -cp ... io.faultline.server.Main zoo.cfg}). */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java -jar faultline-server.jar <zoo.cfg>");
            System.exit(2);
        }
        Path cfgFile = Path.of(args[0]);
        if (!Files.isRegularFile(cfgFile)) {
            System.err.println("config file not found: " + cfgFile);
            System.exit(2);
        }
        ServerConfig config;
        try {
            config = ServerConfig.load(cfgFile);
        } catch (IllegalArgumentException e) {
            System.err.println("invalid config " + cfgFile + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        System.setProperty("faultline.server.exitOnFatal", "true");
        AutoCloseable server;
        try {
            // as ZooKeeper: server.N lines in zoo.cfg mean a replicated (ZAB) ensemble member
            server = io.faultline.server.zab.net.QuorumConfig.isReplicated(config)
                    ? ReplicatedServer.start(config) : ZkServer.start(config);
        } catch (IllegalArgumentException e) {
            System.err.println("invalid config " + cfgFile + ": " + e.getMessage());
            System.exit(2);
            return;
        } catch (CorruptLogException e) {
            log.error("refusing to start: {}", e.getMessage());
            System.err.println("refusing to start: " + e.getMessage());
            System.exit(4);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                log.warn("shutdown", e);
            }
        }, "shutdown"));
        Thread.currentThread().join();
    }
}
