package io.faultline.checker.session;

import io.faultline.checker.history.Op;
import io.faultline.checker.history.OpType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A simulated ZooKeeper-like ensemble that records histories in the format of docs/history-format.md:
 * a leader's log of transactions (zxid = position), followers applying it with random lag, sessions on
 * servers that switch servers (only to one at least as new as what they saw), plain/sync/leader reads,
 * data watches fired when a server applies a change, ephemerals deleted by the close or expiry of their
 * session. Correct by construction; {@link Fault} injects exactly one violation near the end.
 */
final class ZkSim {
    enum Fault { NONE, STALE_READ, LOST_WRITE, EPHEMERAL_OUTLIVES_SESSION, LATE_WATCH_EVENT }

    private sealed interface Txn permits Write, Create, Close, Noop {}
    private record Write(String key, long value) implements Txn {}
    private record Create(String path, int owner) implements Txn {}
    private record Close(int session, boolean deletesEphemerals) implements Txn {}
    private record Noop() implements Txn {}

    private static final int SERVERS = 3;
    private static final long TIMEOUT_MS = 100;

    private final Random rnd;
    private final int sessionCount;
    private final int keyCount;
    private final List<Op> ops = new ArrayList<>();
    private final List<Txn> log = new ArrayList<>();
    private final int[] applied = new int[SERVERS]; // server 0 is the leader and always applies everything
    private final int[] server;
    private final long[] lastSeen;
    private final boolean[] dead;
    private final List<Map<String, Long>> watches = new ArrayList<>(); // per session: key -> registration baseline
    private final List<List<long[]>> deferred = new ArrayList<>();
    private final Map<String, Integer> ephemeralOwner = new LinkedHashMap<>();
    private final Map<Integer, Long> expiryDue = new HashMap<>();
    private long nowNs;
    private long nextValue = 1;
    private int deferFor = -1;

    ZkSim(long seed, int sessions, int keys) {
        this.rnd = new Random(seed);
        this.sessionCount = sessions;
        this.keyCount = keys;
        server = new int[sessions];
        lastSeen = new long[sessions];
        dead = new boolean[sessions];
        for (int s = 0; s < sessions; s++) {
            server[s] = rnd.nextInt(SERVERS);
            watches.add(new HashMap<>());
            deferred.add(new ArrayList<>());
        }
    }

    static List<Op> generate(long seed, int sessions, int keys, int steps, Fault fault) {
        ZkSim sim = new ZkSim(seed, sessions, keys);
        sim.run(steps);
        sim.inject(fault);
        sim.finalReads();
        return sim.ops;
    }

    private static long sessionId(int s) {
        return 0x1000 + s;
    }

    private String key(int k) {
        return "/k" + k;
    }

    // ---- recording ----

    private void record(OpType type, long process, String f, Object value, Object key, int s, Long zxid,
                        Map<String, Object> extra) {
        nowNs += 1_000_000L / 4 + rnd.nextInt(1_000_000);
        ops.add(new Op(ops.size(), nowNs, type, process, f, value, key, "n" + (server[s] + 1), sessionId(s), zxid,
                extra));
    }

    private void invoke(int s, String f, Object value, Object key, Map<String, Object> extra) {
        record(OpType.INVOKE, s, f, value, key, s, null, extra);
    }

    private void ok(int s, String f, Object value, Object key, long zxid, Map<String, Object> extra) {
        record(OpType.OK, s, f, value, key, s, zxid, extra);
        lastSeen[s] = Math.max(lastSeen[s], zxid);
    }

    private void event(int s, String key, long eventZxid) {
        Map<String, Object> x = Map.of("watch-path", key, "event-type", "NodeDataChanged", "event-zxid", eventZxid);
        record(OpType.INVOKE, 1_000_000 + s, "watch-event", null, null, s, null, Map.of());
        record(OpType.OK, 1_000_000 + s, "watch-event", null, null, s, null, x);
    }

    // ---- the replicated state ----

    private int applied(int srv) {
        return srv == 0 ? log.size() : applied[srv];
    }

    /** Applies the log up to {@code upTo} on a server, firing the data watches of its sessions. */
    private void apply(int srv, int upTo) {
        int from = applied(srv);
        if (srv != 0) applied[srv] = Math.max(applied[srv], upTo);
        for (int z = from + 1; z <= upTo; z++) fire(srv, z);
    }

    private void fire(int srv, int z) {
        if (!(log.get(z - 1) instanceof Write w)) return;
        for (int s = 0; s < sessionCount; s++) {
            if (dead[s] || server[s] != srv) continue;
            if (watches.get(s).remove(w.key) != null) {
                if (s == deferFor) deferred.get(s).add(new long[] {Long.parseLong(w.key.substring(2)), z});
                else event(s, w.key, z);
            }
        }
    }

    /** Commits a transaction: the leader appends it; returns its zxid. */
    private long commit(Txn t) {
        log.add(t);
        long z = log.size();
        fire(0, (int) z);
        return z;
    }

    private long[] latest(String key, long upTo) { // {mzxid, value, version}
        long mz = 0, value = -1, version = -1;
        for (int z = 1; z <= upTo; z++) {
            if (log.get(z - 1) instanceof Write w && w.key.equals(key)) {
                mz = z;
                value = w.value;
                version++;
            }
        }
        return new long[] {mz, value, version};
    }

    private long[] exists(String path, long upTo) { // {exists?1:0, czxid}
        long czxid = 0;
        boolean present = false;
        for (int z = 1; z <= upTo; z++) {
            Txn t = log.get(z - 1);
            if (t instanceof Create c && c.path.equals(path)) {
                present = true;
                czxid = z;
            } else if (t instanceof Close c && c.deletesEphemerals && present
                    && ephemeralOwner.getOrDefault(path, -1) == c.session) {
                present = false;
            }
        }
        return new long[] {present ? 1 : 0, czxid};
    }

    // ---- client ops ----

    private void write(int s, int k) {
        long v = nextValue++;
        invoke(s, "write", v, key(k), Map.of());
        long z = commit(new Write(key(k), v));
        apply(server[s], (int) z);
        ok(s, "write", v, key(k), z, Map.of("mzxid", z, "version", latest(key(k), z)[2]));
    }

    private void read(int s, int k, String mode, boolean watch) {
        if (mode.equals("leader")) moveTo(s, 0); // leader reads: the session talks to the leader
        invoke(s, "read", null, key(k), Map.of("read-mode", mode));
        if (mode.equals("sync")) apply(server[s], log.size());
        long at = mode.equals("leader") ? log.size() : applied(server[s]);
        readAt(s, k, mode, watch, at);
    }

    private void readAt(int s, int k, String mode, boolean watch, long at) {
        long[] l = latest(key(k), at);
        Map<String, Object> x = new HashMap<>(Map.of("read-mode", mode, "mzxid", l[0], "version", l[2]));
        if (watch) {
            x.put("watch", true);
            watches.get(s).putIfAbsent(key(k), l[0]);
        }
        ok(s, "read", l[1] < 0 ? null : l[1], key(k), at, x);
    }

    private void existsOp(int s, String path, String mode) {
        invoke(s, "exists", path, null, Map.of("read-mode", mode));
        if (mode.equals("sync")) apply(server[s], log.size());
        long at = applied(server[s]);
        long[] e = exists(path, at);
        Map<String, Object> x = new HashMap<>(Map.of("read-mode", mode));
        if (e[0] == 1) x.put("czxid", e[1]);
        ok(s, "exists", e[0] == 1, null, at, x);
    }

    private void createEphemeral(int s) {
        String path = "/e" + s;
        invoke(s, "create", path, null, Map.of());
        ephemeralOwner.put(path, s);
        long z = commit(new Create(path, s));
        apply(server[s], (int) z);
        ok(s, "create", path, null, z, Map.of("ephemeral", true, "czxid", z, "session-timeout-ms", TIMEOUT_MS));
    }

    private void close(int s, boolean deletes) {
        invoke(s, "close-session", null, null, Map.of());
        long z = commit(new Close(s, deletes));
        apply(server[s], (int) z);
        ok(s, "close-session", null, null, z, Map.of());
        dead[s] = true;
    }

    private void crash(int s) {
        invoke(s, "crash-session", null, null, Map.of());
        record(OpType.OK, s, "crash-session", null, null, s, null, Map.of());
        dead[s] = true;
        expiryDue.put(s, nowNs + (TIMEOUT_MS / 2 + rnd.nextInt((int) TIMEOUT_MS / 2)) * 1_000_000L);
    }

    /** Moves a session to another server that has seen at least what the session saw (ZooKeeper's rule). */
    private void maybeSwitch(int s) {
        int to = rnd.nextInt(SERVERS);
        if (to == server[s] || applied(to) < lastSeen[s]) return;
        moveTo(s, to);
    }

    private void moveTo(int s, int to) {
        if (server[s] == to) return;
        server[s] = to;
        // SetWatches: a watched key changed since registration fires at once, with zxid -1.
        var it = watches.get(s).entrySet().iterator();
        while (it.hasNext()) {
            var w = it.next();
            if (latest(w.getKey(), applied(to))[0] > w.getValue()) {
                it.remove();
                event(s, w.getKey(), -1);
            }
        }
    }

    private void run(int steps) {
        for (int i = 0; i < steps; i++) {
            for (var e : new ArrayList<>(expiryDue.entrySet())) {
                if (e.getValue() <= nowNs) {
                    commit(new Close(e.getKey(), true));
                    expiryDue.remove(e.getKey());
                }
            }
            int roll = rnd.nextInt(100);
            if (roll < 20) { // a follower catches up by a random amount
                int srv = 1 + rnd.nextInt(SERVERS - 1);
                apply(srv, Math.min(log.size(), applied(srv) + rnd.nextInt(6)));
                continue;
            }
            int s = rnd.nextInt(sessionCount);
            if (dead[s]) continue;
            if (rnd.nextInt(10) == 0) maybeSwitch(s);
            int k = rnd.nextInt(keyCount);
            if (roll < 45) write(s, k);
            else if (roll < 80) read(s, k, List.of("plain", "plain", "sync", "leader").get(rnd.nextInt(4)), rnd.nextBoolean());
            else if (roll < 88 && !ephemeralOwner.containsKey("/e" + s)) createEphemeral(s);
            else if (roll < 96 && !ephemeralOwner.isEmpty()) {
                List<String> paths = new ArrayList<>(ephemeralOwner.keySet());
                existsOp(s, paths.get(rnd.nextInt(paths.size())), rnd.nextBoolean() ? "plain" : "sync");
            } else if (roll < 98 && aliveCount() > 2) {
                if (rnd.nextBoolean()) crash(s);
                else close(s, true);
            }
        }
        for (var e : expiryDue.entrySet()) commit(new Close(e.getKey(), true));
        expiryDue.clear();
    }

    private int aliveCount() {
        int n = 0;
        for (boolean d : dead) if (!d) n++;
        return n;
    }

    private List<Integer> alive() {
        List<Integer> a = new ArrayList<>();
        for (int s = 0; s < sessionCount; s++) if (!dead[s]) a.add(s);
        return a;
    }

    private void inject(Fault fault) {
        List<Integer> a = alive();
        int s = a.get(rnd.nextInt(a.size()));
        int t = a.get((a.indexOf(s) + 1) % a.size());
        int k = rnd.nextInt(keyCount);
        switch (fault) {
            case NONE -> { }
            case STALE_READ -> {
                write(t, k);
                read(s, k, "sync", false);
                long z = latest(key(k), log.size())[0];
                invoke(s, "read", null, key(k), Map.of("read-mode", "plain"));
                readAt(s, k, "plain", false, z - 1); // served by a server behind what the session saw
            }
            case LOST_WRITE -> {
                write(t, k);
                log.set(log.size() - 1, new Noop()); // acknowledged, then lost
                if (keyCount > 1) write(t, (k + 1) % keyCount); // the log moves on (not overwriting the lost write)
            }
            case EPHEMERAL_OUTLIVES_SESSION -> {
                if (!ephemeralOwner.containsKey("/e" + s)) createEphemeral(s);
                close(s, false); // the close does not delete the session's ephemerals
            }
            case LATE_WATCH_EVENT -> {
                read(s, k, "sync", true);
                deferFor = s;
                write(t, k);
                read(s, k, "sync", false); // sees the new data ...
                deferFor = -1;
                for (long[] e : deferred.get(s)) event(s, key((int) e[0]), e[1]); // ... before the event
                deferred.get(s).clear();
            }
        }
    }

    private void finalReads() {
        for (int s : alive()) {
            for (int k = 0; k < keyCount; k++) read(s, k, "sync", false);
            for (String path : ephemeralOwner.keySet()) existsOp(s, path, "sync");
        }
    }
}
