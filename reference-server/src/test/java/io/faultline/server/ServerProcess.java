package io.faultline.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The reference server as a child JVM ({@code java -cp ... io.faultline.server.Main zoo.cfg}). */
final class ServerProcess implements AutoCloseable {
    final Process process;
    final Path log;
    final String host;
    final int port;

    private ServerProcess(Process process, Path log, String host, int port) {
        this.process = process;
        this.log = log;
        this.host = host;
        this.port = port;
    }

    static Path writeConfig(Path dir, String host, int port) throws IOException {
        Path cfg = dir.resolve("zoo.cfg");
        Files.writeString(cfg, String.join("\n",
                "tickTime=500", "dataDir=" + dir.resolve("data"), "clientPort=" + port, "clientPortAddress=" + host,
                "4lw.commands.whitelist=*", "maxClientCnxns=0", "snapCount=1000", ""));
        return cfg;
    }

    /** Starts the server; returns once it answers ruok, or throws if the process died. */
    static ServerProcess start(Path cfg, String host, int port, Path log) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", cp, "io.faultline.server.Main", cfg.toString()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        var sp = new ServerProcess(p, log, host, port);
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            if (!p.isAlive()) return sp; // caller inspects exit code and log
            try {
                if (TestServer.fourLetter(host, port, "ruok").equals("imok")) return sp;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        sp.close();
        throw new IllegalStateException("server did not start; log:\n" + Files.readString(log));
    }

    boolean running() { return process.isAlive(); }

    String logText() throws IOException { return Files.readString(log); }

    int waitForExit() throws InterruptedException {
        if (!process.waitFor(30, TimeUnit.SECONDS)) throw new IllegalStateException("server did not exit");
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook, no flush. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        kill9();
    }
}
