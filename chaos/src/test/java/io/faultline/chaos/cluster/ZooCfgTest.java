package io.faultline.chaos.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ZooCfgTest {
    final AddressPlan plan = AddressPlan.of("127.0.3", "127.0.6");

    @Test
    void ownLineIsRealEveryOtherLineIsThisNodesProxy() {
        ClusterSpec spec = ClusterSpec.of(ServerKind.ZOOKEEPER, 3, plan).withObservers(1);
        String cfg = ZooCfg.render(spec, 2, Path.of("/d/n2/data"));
        assertTrue(cfg.contains("server.2=127.0.3.2:2888:3888\n"), cfg);
        assertTrue(cfg.contains("server.1=127.0.6.2:12001:12101\n"), cfg);
        assertTrue(cfg.contains("server.3=127.0.6.2:12003:12103\n"), cfg);
        assertTrue(cfg.contains("server.4=127.0.6.2:12004:12104:observer\n"), cfg);
        assertTrue(cfg.contains("clientPortAddress=127.0.3.2\n"), cfg);
        assertTrue(cfg.contains("4lw.commands.whitelist=*\n"), cfg);
        assertTrue(cfg.contains("admin.enableServer=false\n"), cfg);
        assertTrue(cfg.contains("dataDir=/d/n2/data\n"), cfg);
        assertFalse(cfg.contains("peerType"), cfg);
        assertTrue(ZooCfg.render(spec, 4, Path.of("/d")).contains("peerType=observer\n"));
    }

    @Test
    void standaloneHasNoServerLinesAndExtraConfigComesLast() {
        ClusterSpec spec = ClusterSpec.of(ServerKind.REFERENCE, 1, plan).withExtraConfig(Map.of("tickTime", "300", "x.y", "z"));
        String cfg = ZooCfg.render(spec, 1, Path.of("/d"));
        assertFalse(cfg.contains("server."), cfg);
        assertTrue(cfg.contains("x.y=z\n"), cfg);
        assertTrue(cfg.contains("tickTime=300\n"), cfg);
        assertFalse(cfg.contains("tickTime=200"), cfg);
    }

    @Test
    void addressPlanIsLoopbackOnlyAndValidated() {
        assertEquals("127.0.4.11", AddressPlan.of("127.0.4", "127.0.7").withFirstHost(11).nodeHost(1));
        assertEquals("127.0.7.13", AddressPlan.of("127.0.4", "127.0.7").withFirstHost(11).proxyHost(3));
        assertThrows(IllegalArgumentException.class, () -> AddressPlan.of("10.0.0", "127.0.6"));
        assertThrows(IllegalArgumentException.class, () -> AddressPlan.of("127.0.3", "127.0.3"));
        assertThrows(IllegalArgumentException.class, () -> ClusterSpec.of(ServerKind.ZOOKEEPER, 0, plan));
        assertThrows(IllegalArgumentException.class, () -> ClusterSpec.of(ServerKind.ZOOKEEPER, 3, plan).withName("bad name"));
    }
}
