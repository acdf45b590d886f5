package io.faultline.chaos.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.rekawek.toxiproxy.Proxy;
import io.faultline.chaos.toxiproxy.ToxiproxyProvider;
import io.faultline.chaos.toxiproxy.ToxiproxyServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** The three provisioning choices: embedded (default), external, and the real one in a container. */
class ToxiproxyProviderIT {
    static final String HOST = "127.0.2.30";

    @Test
    void embeddedIsTheDefaultAndItsProxiesCarryTraffic() throws Exception {
        assertTrue(ToxiproxyProvider.defaultProvider() instanceof ToxiproxyProvider.Embedded);
        try (ServerSocket upstream = new ServerSocket(0, 5, InetAddress.getByName(HOST));
             ToxiproxyProvider.Handle handle = new ToxiproxyProvider.Embedded(HOST, 0, 5L).start()) {
            assertEquals(5L, handle.embeddedServer().orElseThrow().seed());
            Proxy p = handle.client().createProxy("n1-n2", handle.listenAddress(HOST, 0), HOST + ":" + upstream.getLocalPort());
            var address = handle.addressOf(p);
            assertEquals(HOST, address.getHostString());
            try (Socket client = new Socket(address.getAddress(), address.getPort()); Socket server = upstream.accept()) {
                client.getOutputStream().write(42);
                assertEquals(42, server.getInputStream().read());
            }
        }
    }

    @Test
    void externalUsesAServerSomeoneElseRunsAndLeavesItRunning() throws Exception {
        try (ToxiproxyServer someoneElses = ToxiproxyServer.start(HOST, 0)) {
            ToxiproxyProvider.Handle handle = new ToxiproxyProvider.External(HOST, someoneElses.apiPort()).start();
            handle.client().createProxy("x", HOST + ":0", HOST + ":1");
            handle.close();
            assertEquals(1, handle.client().getProxies().size(), "still running after the handle closed");
        }
        int nothing;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            nothing = s.getLocalPort();
        }
        IOException e = assertThrows(IOException.class, () -> new ToxiproxyProvider.External(HOST, nothing).start());
        assertTrue(e.getMessage().contains("no Toxiproxy answers"), e.getMessage());
        assertTrue(e.getCause() instanceof ConnectException, String.valueOf(e.getCause()));
    }

    @Test
    void containerWithoutTheImageFailsFastWithAClearError() {
        // no registry here and the project's pull policy never pulls: the image cannot be had
        long start = System.nanoTime();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new ToxiproxyProvider.Container("ghcr.io/shopify/toxiproxy:2.12.0").start());
        assertTrue(e.getMessage().contains("not available locally"), e.getMessage());
        assertTrue(e.getMessage().contains("Embedded"), e.getMessage());
        assertTrue((System.nanoTime() - start) / 1_000_000_000 < 60);
    }
}
