package io.faultline.chaos.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node as a child JVM: {@code java <jvm options> -cp <this classpath> NodeLauncher <server main> zoo.cfg}.
 * kill is SIGKILL, pause/resume SIGSTOP/SIGCONT. The child halts itself if this JVM dies.
 */
public final class ProcessNode extends AbstractNode {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessNode.class);

    private Process process;
    private boolean paused;

    ProcessNode(ClusterSpec spec, int id, Path clusterHome) {
        super(spec, id, clusterHome);
    }

    /** The command line this node runs. */
    public List<String> command() {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(spec.jvmOptions());
        cmd.add("-D" + NodeLauncher.NODE_MARKER_PROPERTY + "=" + spec.name() + "/n" + id);
        cmd.add("-D" + NodeLauncher.PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
        cmd.add("-Dzookeeper.jmx.log4j.disable=true");
        cmd.add("-cp");
        cmd.add(ClassPath.current());
        cmd.add(NodeLauncher.class.getName());
        cmd.add(mainClass(spec.system()));
        cmd.add(configFile().toString());
        return cmd;
    }

    @Override
    public synchronized void start() throws IOException {
        if (running()) return;
        writeConfig();
        ProcessBuilder pb = new ProcessBuilder(command())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                .directory(home.toFile());
        process = pb.start();
        paused = false;
        wanted = true;
        LOG.info("started {} as pid {}", this, process.pid());
    }

    @Override
    public synchronized void stop() {
        wanted = false;
        if (!running()) return;
        if (paused) resume(); // SIGTERM waits for SIGCONT otherwise
        process.destroy();
        if (!waitFor(10)) {
            LOG.warn("{} ignored SIGTERM for 10 s; killing it", this);
            kill();
        }
    }

    @Override
    public synchronized void kill() {
        wanted = false;
        if (process == null || !process.isAlive()) return;
        process.destroyForcibly(); // SIGKILL, works on a stopped process too
        waitFor(10);
        paused = false;
    }

    @Override
    public synchronized void pause() {
        if (!running() || paused) return;
        signal("STOP");
        paused = true;
    }

    @Override
    public synchronized void resume() {
        if (!running() || !paused) return;
        signal("CONT");
        paused = false;
    }

    @Override
    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    @Override
    public synchronized boolean paused() {
        return paused && running();
    }

    /** The OS pid, or -1 if never started. */
    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    private boolean waitFor(int seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed: " + new String(kill.getInputStream().readAllBytes()));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot signal " + this, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling " + this, e);
        }
    }
}
