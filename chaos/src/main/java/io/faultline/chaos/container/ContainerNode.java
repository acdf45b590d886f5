package io.faultline.chaos.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import io.faultline.chaos.cluster.AbstractNode;
import io.faultline.chaos.cluster.ClusterSpec;
import io.faultline.chaos.cluster.NodeLauncher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.IsRunningStartupCheckStrategy;

/** A node as a container; kill is docker kill (SIGKILL), pause is docker pause (freezer). */
public final class ContainerNode extends AbstractNode {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerNode.class);
    /** Label on every node container: the cluster name. */
    public static final String CLUSTER_LABEL = "io.faultline.chaos.cluster";
    /** Label on every node container: {@code <cluster>/n<id>}. */
    public static final String NODE_LABEL = "io.faultline.chaos.node";

    private GenericContainer<?> container;
    private boolean paused;

    ContainerNode(ClusterSpec spec, int id, Path clusterHome) {
        super(spec, id, clusterHome);
    }

    private static DockerClient docker() {
        return DockerClientFactory.instance().client();
    }

    /** The shell command the container runs: the node JVM, its output appended to the bind-mounted log. */
    String[] shellCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add("exec java");
        cmd.addAll(spec.jvmOptions());
        cmd.add("-D" + NodeLauncher.NODE_MARKER_PROPERTY + "=" + spec.name() + "/n" + id);
        cmd.add("-cp " + NodeImage.classPath());
        cmd.add(NodeLauncher.class.getName());
        cmd.add(mainClass(spec.system()));
        cmd.add("'" + configFile() + "'");
        cmd.add(">> '" + logFile() + "' 2>&1");
        return new String[] {"sh", "-c", String.join(" ", cmd)};
    }

    @Override
    public synchronized void start() throws IOException {
        if (running()) return;
        writeConfig();
        if (container == null) {
            String hostHome = home.toAbsolutePath().toString();
            container = new GenericContainer<>(NodeImage.get())
                    .withNetworkMode("host")
                    .withCreateContainerCmdModifier(c -> c.withEntrypoint(shellCommand()))
                    .withFileSystemBind(hostHome, hostHome, BindMode.READ_WRITE)
                    .withLabels(Map.of(CLUSTER_LABEL, spec.name(), NODE_LABEL, spec.name() + "/n" + id))
                    .withStartupCheckStrategy(new IsRunningStartupCheckStrategy());
            container.start();
        } else {
            docker().startContainerCmd(container.getContainerId()).exec();
        }
        paused = false;
        wanted = true;
        LOG.info("started {} as container {}", this, container.getContainerId().substring(0, 12));
    }

    @Override
    public synchronized void stop() {
        wanted = false;
        if (!running()) return;
        if (paused) resume();
        docker().stopContainerCmd(container.getContainerId()).withTimeout(10).exec();
    }

    @Override
    public synchronized void kill() {
        wanted = false;
        if (!running()) return;
        if (paused) resume(); // a frozen cgroup would hold the SIGKILL until thawed
        try {
            docker().killContainerCmd(container.getContainerId()).exec();
        } catch (RuntimeException e) {
            if (running()) throw e; // it may have exited on its own meanwhile
        }
    }

    @Override
    public synchronized void pause() {
        if (!running() || paused) return;
        docker().pauseContainerCmd(container.getContainerId()).exec();
        paused = true;
    }

    @Override
    public synchronized void resume() {
        if (!running() || !paused) return;
        docker().unpauseContainerCmd(container.getContainerId()).exec();
        paused = false;
    }

    @Override
    public synchronized boolean running() {
        if (container == null || container.getContainerId() == null) return false;
        try {
            InspectContainerResponse.ContainerState state = docker().inspectContainerCmd(container.getContainerId()).exec().getState();
            return Boolean.TRUE.equals(state.getRunning());
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public synchronized boolean paused() {
        return paused && running();
    }

    /** The container id, or null before the first start. */
    public synchronized String containerId() {
        return container == null ? null : container.getContainerId();
    }

    /** Removes the container (close). */
    synchronized void remove() {
        if (container == null) return;
        try {
            if (paused) docker().unpauseContainerCmd(container.getContainerId()).exec();
        } catch (RuntimeException e) {
            // already gone or not paused
        }
        try {
            container.stop();
        } catch (RuntimeException e) {
            LOG.warn("could not remove container of {}: {}", this, e.toString());
        }
        container = null;
        paused = false;
    }
}
