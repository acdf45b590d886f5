package io.faultline.server.zab.net;

import io.faultline.server.ServerConfig;
import io.faultline.server.zab.ZabConfig;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The replicated-mode part of zoo.cfg: {@code server.N=host:quorumPort:electionPort[:participant|:observer]},
 * {@code myid} (from dataDir), {@code initLimit}, {@code syncLimit}, {@code tickTime}, {@code peerType}; and
 * {@code snapCount}, which also bounds a DIFF: a learner missing more entries gets a SNAP.
 */
public record QuorumConfig(long myId, SortedMap<Long, Member> members, int tickTime, int initLimit, int syncLimit,
        boolean observer, java.nio.file.Path zabDataDir, int snapCount) {

    /** Core tick of the networked peer: timeouts are measured in these. */
    public static final int CORE_TICK_MS = 50;

    public record Member(long id, String host, int quorumPort, int electionPort, boolean observer) {
        public InetSocketAddress quorumAddress() {
            return new InetSocketAddress(host, quorumPort);
        }

        public InetSocketAddress electionAddress() {
            return new InetSocketAddress(host, electionPort);
        }
    }

    /** ZooKeeper runs replicated when zoo.cfg lists servers. */
    public static boolean isReplicated(ServerConfig cfg) {
        return cfg.raw().keySet().stream().anyMatch(k -> k.startsWith("server."));
    }

    public static QuorumConfig from(ServerConfig cfg) {
        Map<String, String> raw = cfg.raw();
        SortedMap<Long, Member> members = new TreeMap<>();
        for (var e : raw.entrySet()) {
            if (!e.getKey().startsWith("server.")) {
                continue;
            }
            long id;
            try {
                id = Long.parseLong(e.getKey().substring("server.".length()));
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("bad server id in " + e.getKey());
            }
            String value = e.getValue();
            int semi = value.indexOf(';'); // "host:q:e;clientPort" form: the client part is ignored here
            if (semi >= 0) {
                value = value.substring(0, semi);
            }
            String[] parts = value.split(":");
            if (parts.length < 3 || parts.length > 4) {
                throw new IllegalArgumentException(e.getKey() + " must be host:quorumPort:electionPort[:observer]: " + e.getValue());
            }
            boolean obs = parts.length == 4 && parts[3].trim().equalsIgnoreCase("observer");
            if (parts.length == 4 && !obs && !parts[3].trim().equalsIgnoreCase("participant")) {
                throw new IllegalArgumentException(e.getKey() + ": unknown peer type " + parts[3]);
            }
            try {
                members.put(id, new Member(id, parts[0].trim(), Integer.parseInt(parts[1].trim()),
                        Integer.parseInt(parts[2].trim()), obs));
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException(e.getKey() + ": ports must be numbers: " + e.getValue());
            }
        }
        long myId = cfg.serverId();
        if (!members.containsKey(myId)) {
            throw new IllegalArgumentException("myid " + myId + " (from " + cfg.dataDir().resolve("myid")
                    + ") is not one of the server.N lines " + members.keySet());
        }
        boolean observer = members.get(myId).observer()
                || "observer".equalsIgnoreCase(raw.getOrDefault("peerType", "participant"));
        if (observer && !members.get(myId).observer()) {
            Member m = members.get(myId);
            members.put(myId, new Member(m.id(), m.host(), m.quorumPort(), m.electionPort(), true));
        }
        int initLimit = intValue(raw, "initLimit", 10);
        int syncLimit = intValue(raw, "syncLimit", 5);
        if (initLimit < 1 || syncLimit < 1) {
            throw new IllegalArgumentException("initLimit and syncLimit must be >= 1");
        }
        return new QuorumConfig(myId, members, cfg.tickTime(), initLimit, syncLimit, observer, cfg.dataDir(),
                cfg.snapCount());
    }

    public ZabConfig zabConfig() {
        TreeSet<Long> voters = new TreeSet<>();
        TreeSet<Long> observers = new TreeSet<>();
        members.values().forEach(m -> (m.observer() ? observers : voters).add(m.id()));
        int ping = Math.max(1, tickTime / 2 / CORE_TICK_MS);
        int sync = Math.max(ping + 1, syncLimit * tickTime / CORE_TICK_MS);
        int init = Math.max(1, initLimit * tickTime / CORE_TICK_MS);
        int finalizeWait = Math.max(1, 200 / CORE_TICK_MS);
        // ZooKeeper's first notification timeout is finalizeWait (200 ms); votes lost on a down connection are also
        // re-sent when it comes back up, so this only bounds the wait after other losses.
        int resend = Math.max(1, 200 / CORE_TICK_MS);
        return new ZabConfig(myId, voters, observers, ping, sync, init, finalizeWait, resend, Math.max(1, snapCount));
    }

    private static int intValue(Map<String, String> m, String key, int dflt) {
        String v = m.get(key);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a number: " + v);
        }
    }
}
