package io.faultline.chaos.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.rekawek.toxiproxy.ToxiproxyClient;
import io.faultline.chaos.toxiproxy.ToxiproxyServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The direction mapping of {@link Network} on real sockets, no servers involved: a fault on
 * "bytes from a to b" stops exactly those bytes, on connections dialled by either end.
 */
class NetworkIT {
    final ClusterSpec spec = ClusterSpec.of(ServerKind.ZOOKEEPER, 2, AddressPlan.of("127.0.3", "127.0.6").withFirstHost(101))
            .withName("netit").withDataRoot(Path.of("target", "clusters"));
    ToxiproxyServer toxiproxy;
    Network network;

    @BeforeEach
    void createProxies() throws IOException {
        toxiproxy = ToxiproxyServer.start("127.0.6.250", 0);
        network = new Network(spec, new ToxiproxyClient(toxiproxy.apiHost(), toxiproxy.apiPort()));
        network.create();
    }

    @AfterEach
    void close() {
        network.destroy();
        toxiproxy.close();
    }

    /** A node's port (real address) and one connection dialled to it through the proxy. */
    record Pair(ServerSocket server, Socket dialer, Socket accepted) implements AutoCloseable {
        static Pair open(InetSocketAddress real, InetSocketAddress proxy) throws IOException {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(real);
            Socket dialer = new Socket();
            dialer.connect(proxy, 2000);
            server.setSoTimeout(5000);
            Socket accepted = server.accept();
            dialer.setSoTimeout(800);
            accepted.setSoTimeout(800);
            return new Pair(server, dialer, accepted);
        }

        @Override
        public void close() throws IOException {
            dialer.close();
            accepted.close();
            server.close();
        }
    }

    static boolean delivered(Socket from, Socket to, int b) throws IOException {
        from.getOutputStream().write(b);
        from.getOutputStream().flush();
        InputStream in = to.getInputStream();
        try {
            return in.read() == b;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    @Test
    void blockingOneDirectionOfAPeerLinkLeavesTheOtherFlowing() throws IOException {
        AddressPlan a = spec.addresses();
        // node 1 dials node 2's quorum port through its proxy 1->2
        try (Pair p = Pair.open(a.quorumAddress(2), a.proxiedQuorumAddress(1, 2))) {
            assertTrue(delivered(p.dialer(), p.accepted(), 1), "1->2 before the fault");
            assertTrue(delivered(p.accepted(), p.dialer(), 2), "2->1 before the fault");

            network.block("oneway", 1, 2);
            assertTrue(!delivered(p.dialer(), p.accepted(), 3), "1->2 must be dropped");
            assertTrue(delivered(p.accepted(), p.dialer(), 4), "2->1 must still flow");
            network.heal("oneway");
        }
        // node 2 dials node 1's election port through proxy 2->1: "from 1 to 2" is its downstream
        try (Pair p = Pair.open(a.electionAddress(1), a.proxiedElectionAddress(2, 1))) {
            network.block("oneway2", 1, 2);
            assertTrue(delivered(p.dialer(), p.accepted(), 5), "2->1 on a connection 2 dialled flows");
            assertTrue(!delivered(p.accepted(), p.dialer(), 6), "1->2 on a connection 2 dialled is dropped");
            assertEquals(List.of("oneway2"), List.copyOf(network.activeTags()));
            network.heal("oneway2");
            assertTrue(network.active().isEmpty());
        }
    }

    @Test
    void clientLinksAndLatency() throws IOException {
        AddressPlan a = spec.addresses();
        try (Pair p = Pair.open(a.clientAddress(2), a.proxiedClientAddress(2))) {
            network.block("noreplies", 2, Network.CLIENTS);
            assertTrue(delivered(p.dialer(), p.accepted(), 7), "client->2 flows");
            assertTrue(!delivered(p.accepted(), p.dialer(), 8), "2->client dropped");
            network.healAll();
        }
        try (Pair p = Pair.open(a.clientAddress(1), a.proxiedClientAddress(1))) {
            network.apply("slow", Network.CLIENTS, 1, new LinkFault.Latency(300, 0));
            p.accepted().setSoTimeout(3000);
            long t0 = System.nanoTime();
            assertTrue(delivered(p.dialer(), p.accepted(), 9));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 280, "latency applied, took " + ms + " ms");
            network.heal("slow");
        }
        assertThrows(IllegalArgumentException.class, () -> network.apply("bad tag", 1, 2, LinkFault.DROP));
        assertThrows(IllegalArgumentException.class, () -> network.apply("t", 1, 1, LinkFault.DROP));
    }
}
