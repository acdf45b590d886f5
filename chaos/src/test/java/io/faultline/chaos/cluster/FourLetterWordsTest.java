package io.faultline.chaos.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FourLetterWordsTest {
    @Test
    void parsesZooKeeperSrvr() {
        String srvr = """
                Zookeeper version: 3.9.4-7246445ec281f3dbf53dc54e970c914f39713903, built on 2025-08-19 19:53 UTC
                Latency min/avg/max: 0/0.0/0
                Received: 3
                Sent: 2
                Connections: 1
                Outstanding: 0
                Zxid: 0x200000003
                Mode: follower
                Node count: 5
                """;
        NodeStatus s = FourLetterWords.parseSrvr(srvr);
        assertEquals(Role.FOLLOWER, s.role());
        assertEquals(0x200000003L, s.zxid());
        assertEquals(2, s.epoch());
        assertEquals(3, s.counter());
    }

    @Test
    void notServingAndMntr() {
        assertEquals(Role.NOT_SERVING, FourLetterWords.parseSrvr("This ZooKeeper instance is not currently serving requests\n").role());
        NodeStatus m = FourLetterWords.parseMntr("zk_version\t3.9.4\nzk_server_state\tleader\nzk_znode_count\t4\n");
        assertEquals(Role.LEADER, m.role());
        assertEquals(-1, m.zxid());
        assertEquals(Role.STANDALONE, FourLetterWords.parseSrvr("Zxid: 0x5\nMode: standalone\n").role());
    }
}
