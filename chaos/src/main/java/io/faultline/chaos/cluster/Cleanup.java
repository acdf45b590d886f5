package io.faultline.chaos.cluster;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import java.util.List;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;

/**
 * Removes what crashed harnesses left behind: node JVMs (recognised by
 * {@code -Dfaultline.chaos.node=} on their command line) and node containers (label
 * {@code io.faultline.chaos.cluster}). Usage: {@code java -cp faultline.jar io.faultline.chaos.cluster.Cleanup [cluster-name]}.
 * Without a name, every faultline node of this machine goes.
 */
public final class Cleanup {
    private static final String CLUSTER_LABEL = "io.faultline.chaos.cluster";

    private Cleanup() {}

    public static void main(String[] args) {
        Optional<String> cluster = args.length > 0 ? Optional.of(args[0]) : Optional.empty();
        int processes = killNodeProcesses(cluster);
        int containers = removeNodeContainers(cluster);
        System.out.println("faultline cleanup: killed " + processes + " node process(es), removed " + containers + " node container(s)");
    }

    /** SIGKILLs every node JVM (of {@code cluster}, or all); returns how many. */
    public static int killNodeProcesses(Optional<String> cluster) {
        String marker = "-D" + NodeLauncher.NODE_MARKER_PROPERTY + "=" + cluster.map(c -> c + "/").orElse("");
        List<ProcessHandle> victims = ProcessHandle.allProcesses()
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .filter(p -> commandLine(p).stream().anyMatch(s -> s.startsWith(marker)))
                .toList();
        for (ProcessHandle p : victims) {
            p.destroyForcibly();
        }
        for (ProcessHandle p : victims) {
            p.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> p).join();
        }
        return victims.size();
    }

    /** The process's arguments: /proc/pid/cmdline on Linux (complete), else what the JDK reports. */
    static List<String> commandLine(ProcessHandle p) {
        java.nio.file.Path proc = java.nio.file.Path.of("/proc", String.valueOf(p.pid()), "cmdline");
        try {
            if (java.nio.file.Files.isReadable(proc)) {
                return List.of(new String(java.nio.file.Files.readAllBytes(proc), java.nio.charset.StandardCharsets.UTF_8).split("\0"));
            }
        } catch (java.io.IOException e) {
            // gone meanwhile, or not ours to read
        }
        return p.info().arguments().map(List::of).orElse(List.of());
    }

    /** Force-removes every node container (of {@code cluster}, or all); 0 if no engine answers. */
    public static int removeNodeContainers(Optional<String> cluster) {
        DockerClient docker;
        try {
            if (!DockerClientFactory.instance().isDockerAvailable()) return 0;
            docker = DockerClientFactory.instance().client();
        } catch (RuntimeException | LinkageError e) {
            return 0;
        }
        var list = docker.listContainersCmd().withShowAll(true);
        List<Container> found = cluster.isPresent()
                ? list.withLabelFilter(java.util.Map.of(CLUSTER_LABEL, cluster.get())).exec()
                : list.withLabelFilter(List.of(CLUSTER_LABEL)).exec();
        for (Container c : found) {
            try {
                if ("paused".equals(c.getState())) docker.unpauseContainerCmd(c.getId()).exec();
            } catch (RuntimeException e) {
                // removal with force works anyway on recent engines
            }
            docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
        }
        return found.size();
    }
}
