package io.faultline.chaos.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.rekawek.toxiproxy.ToxiproxyClient;
import io.faultline.chaos.toxiproxy.ToxiproxyServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** No node outlives its harness: SIGKILL of the harness (watchdog), SIGTERM (shutdown hook), and the Cleanup command. */
class CleanupIT {
    static final Path DATA = Path.of("target", "clusters").toAbsolutePath();

    static Process harness(String name, int firstHost) throws Exception {
        return new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-Xmx128m", "-cp", ClassPath.current(),
                HarnessMain.class.getName(), name, String.valueOf(firstHost), DATA.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    static List<Long> awaitReady(Process harness) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(harness.getInputStream()));
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("READY")) {
                return Arrays.stream(line.substring(5).trim().split(" ")).map(Long::parseLong).toList();
            }
        }
        throw new AssertionError("harness exited before READY");
    }

    static void assertGone(List<Long> pids, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (pids.stream().noneMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false))) return;
            Thread.sleep(100);
        }
        throw new AssertionError("node processes still alive: " + pids);
    }

    @Test
    void nodesHaltWhenTheHarnessIsKilledWithSigkill() throws Exception {
        Process h = harness("orphan-kill", 51);
        try {
            List<Long> pids = awaitReady(h);
            assertTrue(ProcessHandle.of(pids.getFirst()).isPresent());
            h.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertGone(pids, 10);
        } finally {
            h.destroyForcibly();
        }
    }

    @Test
    void shutdownHookKillsNodesOnSigterm() throws Exception {
        Process h = harness("orphan-term", 52);
        try {
            List<Long> pids = awaitReady(h);
            h.destroy(); // SIGTERM: the shutdown hook closes the cluster
            assertTrue(h.waitFor(30, TimeUnit.SECONDS));
            assertGone(pids, 2);
        } finally {
            h.destroyForcibly();
        }
    }

    @Test
    void cleanupCommandKillsLeftoverNodeProcesses() throws Exception {
        try (ToxiproxyServer toxiproxy = ToxiproxyServer.start("127.0.6.250", 0);
             Cluster cluster = Cluster.create(ClusterSpec.of(ServerKind.ZOOKEEPER, 1, AddressPlan.of("127.0.3", "127.0.6").withFirstHost(53))
                     .withName("leftover").withDataRoot(DATA), new ToxiproxyClient(toxiproxy.apiHost(), toxiproxy.apiPort()))) {
            cluster.start();
            Node n = cluster.node(1);
            assertTrue(n.running());
            assertEquals(0, Cleanup.killNodeProcesses(Optional.of("some-other-cluster")));
            assertTrue(n.running());
            assertEquals(1, Cleanup.killNodeProcesses(Optional.of("leftover")));
            assertFalse(n.running());
        }
    }
}
