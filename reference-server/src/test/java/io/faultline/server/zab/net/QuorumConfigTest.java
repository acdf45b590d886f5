package io.faultline.server.zab.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.server.ServerConfig;
import io.faultline.server.zab.ZabConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuorumConfigTest {

    private static ServerConfig config(Path dir, long myid, Map<String, String> extra) throws IOException {
        Files.writeString(dir.resolve("myid"), myid + "\n");
        Map<String, String> m = new HashMap<>(extra);
        m.put("dataDir", dir.toString());
        return ServerConfig.parse(m, null);
    }

    @Test
    void serverLinesMyidAndLimits(@TempDir Path dir) throws IOException {
        ServerConfig cfg = config(dir, 2, Map.of("tickTime", "2000", "initLimit", "10", "syncLimit", "5",
                "server.1", "127.0.5.1:2888:3888", "server.2", "127.0.5.2:2888:3888",
                "server.3", "127.0.5.3:2888:3888:participant", "server.4", "127.0.5.4:2888:3888:observer"));
        assertTrue(QuorumConfig.isReplicated(cfg));
        QuorumConfig qc = QuorumConfig.from(cfg);
        assertEquals(2, qc.myId());
        assertFalse(qc.observer());
        assertTrue(qc.members().get(4L).observer());
        assertEquals(3888, qc.members().get(3L).electionPort());
        ZabConfig z = qc.zabConfig();
        assertEquals(3, z.voters().size());
        assertEquals(2, z.quorum());
        assertEquals(20, z.pingEveryTicks()); // tickTime/2 in 50 ms core ticks
        assertEquals(200, z.syncLimitTicks()); // syncLimit * tickTime
        assertEquals(400, z.initLimitTicks());
    }

    @Test
    void standaloneHasNoServerLines(@TempDir Path dir) throws IOException {
        assertFalse(QuorumConfig.isReplicated(config(dir, 1, Map.of())));
    }

    @Test
    void badLinesAreClearErrors(@TempDir Path dir) throws IOException {
        var notMe = assertThrows(IllegalArgumentException.class, () -> QuorumConfig.from(
                config(dir, 9, Map.of("server.1", "h:1:2", "server.2", "h:3:4"))));
        assertTrue(notMe.getMessage().contains("myid 9"), notMe.getMessage());
        var shape = assertThrows(IllegalArgumentException.class, () -> QuorumConfig.from(
                config(dir, 1, Map.of("server.1", "h:1"))));
        assertTrue(shape.getMessage().contains("host:quorumPort:electionPort"), shape.getMessage());
        var port = assertThrows(IllegalArgumentException.class, () -> QuorumConfig.from(
                config(dir, 1, Map.of("server.1", "h:x:2"))));
        assertTrue(port.getMessage().contains("ports must be numbers"), port.getMessage());
        var type = assertThrows(IllegalArgumentException.class, () -> QuorumConfig.from(
                config(dir, 1, Map.of("server.1", "h:1:2:witness"))));
        assertTrue(type.getMessage().contains("unknown peer type"), type.getMessage());
    }

    @Test
    void peerTypeObserverMakesMeAnObserver(@TempDir Path dir) throws IOException {
        QuorumConfig qc = QuorumConfig.from(config(dir, 3, Map.of("peerType", "observer",
                "server.1", "h:1:2", "server.2", "h:3:4", "server.3", "h:5:6")));
        assertTrue(qc.observer());
        assertEquals(2, qc.zabConfig().voters().size());
        assertTrue(qc.zabConfig().isObserver());
    }
}
