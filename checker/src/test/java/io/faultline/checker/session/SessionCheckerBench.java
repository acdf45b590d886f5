package io.faultline.checker.session;

import io.faultline.checker.CheckResult;
import io.faultline.checker.Checker;
import io.faultline.checker.history.Op;
import io.faultline.checker.history.OpType;
import io.faultline.checker.jepsen.CounterChecker;
import io.faultline.checker.jepsen.QueueChecker;
import io.faultline.checker.jepsen.SetChecker;
import io.faultline.checker.jepsen.StatsChecker;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Benchmark main (not a test): the session checker and the Jepsen-style checkers on large generated
 * histories. Run (after test-compile):
 * {@code java -Xmx3g -cp checker/target/classes:checker/target/test-classes
 * io.faultline.checker.session.SessionCheckerBench [historyEntries]}
 *
 * <p>The session history comes from a fast ZooKeeper-like simulation: a leader log, followers lagging by
 * random amounts, 50 sessions with up to one outstanding op each (so calls of different sessions overlap),
 * switching servers, plain/sync reads, data watches fired when a session's server applies a change.
 */
public final class SessionCheckerBench {

    public static void main(String[] args) {
        int entries = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int runs = 5;
        List<Op> history = sessionHistory(entries, 50, 5, 100, 42);
        System.out.printf("session history: %,d entries (%,d calls), %d sessions%n", history.size(), history.size() / 2, 50);
        bench(new SessionChecker(), history, runs);
        bench(new SetChecker(), setHistory(entries, 20, 7, 1000), runs);   // 500 reads of the growing set
        bench(new SetChecker(), setHistory(entries, 20, 7, 20_000), runs); // 25 reads
        bench(new QueueChecker(true), queueHistory(entries, 20, 8), runs);
        bench(new CounterChecker(), counterHistory(entries, 20, 9), runs);
        bench(new StatsChecker(), history, runs);
    }

    private static void bench(Checker checker, List<Op> history, int runs) {
        long best = Long.MAX_VALUE, total = 0;
        CheckResult r = null;
        for (int i = 0; i < runs + 2; i++) { // two warm-up runs
            System.gc();
            long t0 = System.nanoTime();
            r = checker.check(history);
            long dt = System.nanoTime() - t0;
            if (i >= 2) {
                best = Math.min(best, dt);
                total += dt;
            }
        }
        long elements = 0;
        for (Op op : history) if (op.isCompletion() && op.f().equals("read") && op.value() instanceof List<?> l) elements += l.size();
        System.out.printf("%-16s %,10d entries %,12d read elements  best %7.1f ms  mean %7.1f ms  %,.0f entries/s  verdict %s (%s)%n",
                checker.name(), history.size(), elements, best / 1e6, total / 1e6 / runs, history.size() / (best / 1e9),
                r.verdict(), r.summary());
    }

    // ---- generators ----

    private static final class Sim {
        final SplittableRandom rnd;
        final List<Op> ops = new ArrayList<>();
        final List<String> txnKey = new ArrayList<>();
        final Map<String, long[]> keyZxids = new HashMap<>(); // key -> zxids (growing array, [0] = size)
        final Map<String, List<Long>> keyValues = new HashMap<>();
        final int[] applied;
        long now;

        Sim(long seed, int servers) {
            rnd = new SplittableRandom(seed);
            applied = new int[servers];
        }

        Op op(OpType type, long process, String f, Object value, Object key, String node, long session, Long zxid,
              Map<String, Object> extra) {
            now += 1 + rnd.nextInt(50_000);
            Op op = new Op(ops.size(), now, type, process, f, value, key, node, session, zxid, extra);
            ops.add(op);
            return op;
        }

        long commit(String key, long value) {
            txnKey.add(key);
            long z = txnKey.size();
            long[] zs = keyZxids.computeIfAbsent(key, k -> new long[16]);
            if (zs[0] + 1 >= zs.length) {
                zs = java.util.Arrays.copyOf(zs, zs.length * 2);
                keyZxids.put(key, zs);
            }
            zs[(int) ++zs[0]] = z;
            keyValues.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            return z;
        }

        /** {mzxid, value or -1} of the key at state {@code at}. */
        long[] latest(String key, long at) {
            long[] zs = keyZxids.get(key);
            if (zs == null) return new long[] {0, -1};
            int lo = 1, hi = (int) zs[0];
            int found = 0;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (zs[mid] <= at) {
                    found = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return found == 0 ? new long[] {0, -1} : new long[] {zs[found], keyValues.get(key).get(found - 1)};
        }
    }

    /** A pending op of one session: what it will do at completion. */
    private record Pending(String f, String key, long value, String mode, boolean watch) {}

    static List<Op> sessionHistory(int entries, int sessions, int servers, int keys, long seed) {
        Sim sim = new Sim(seed, servers);
        int[] server = new int[sessions];
        long[] lastSeen = new long[sessions];
        Pending[] pending = new Pending[sessions];
        List<Map<String, Long>> watches = new ArrayList<>();
        for (int s = 0; s < sessions; s++) {
            server[s] = sim.rnd.nextInt(servers);
            watches.add(new HashMap<>());
        }
        long nextValue = 1;
        while (sim.ops.size() < entries) {
            int s = sim.rnd.nextInt(sessions);
            if (sim.rnd.nextInt(8) == 0) { // a follower catches up
                int srv = 1 + sim.rnd.nextInt(servers - 1);
                int to = Math.min(sim.txnKey.size(), sim.applied[srv] + sim.rnd.nextInt(40));
                applyTo(sim, srv, to, server, watches);
            }
            if (pending[s] == null) {
                if (sim.rnd.nextInt(20) == 0) { // reconnect to a server at least as new as what the session saw
                    int to = sim.rnd.nextInt(servers);
                    if (appliedOf(sim, to) >= lastSeen[s]) {
                        server[s] = to;
                        // SetWatches: a watched key that changed since registration fires at once (zxid -1)
                        var it = watches.get(s).entrySet().iterator();
                        while (it.hasNext()) {
                            var w = it.next();
                            if (sim.latest(w.getKey(), appliedOf(sim, to))[0] > w.getValue()) {
                                it.remove();
                                sim.op(OpType.INVOKE, 1_000_000 + s, "watch-event", null, null, "n" + to, 0x1000 + s,
                                        null, Map.of());
                                sim.op(OpType.OK, 1_000_000 + s, "watch-event", null, null, "n" + to, 0x1000 + s, null,
                                        Map.of("watch-path", w.getKey(), "event-type", "NodeDataChanged", "event-zxid", -1L));
                            }
                        }
                    }
                }
                String key = "k" + sim.rnd.nextInt(keys);
                int roll = sim.rnd.nextInt(100);
                Pending p = roll < 40 ? new Pending("write", key, nextValue++, null, false)
                        : new Pending("read", key, 0, roll < 90 ? "plain" : "sync", roll % 7 == 0);
                pending[s] = p;
                sim.op(OpType.INVOKE, s, p.f, p.f.equals("write") ? p.value : null, key, null, 0x1000 + s, null,
                        p.mode == null ? Map.of() : Map.of("read-mode", p.mode));
                continue;
            }
            Pending p = pending[s];
            pending[s] = null;
            String node = "n" + server[s];
            if (p.f.equals("write")) {
                long z = sim.commit(p.key, p.value);
                applyTo(sim, 0, (int) z, server, watches);
                if (server[s] != 0) applyTo(sim, server[s], (int) z, server, watches);
                sim.op(OpType.OK, s, "write", p.value, p.key, node, 0x1000 + s, z, Map.of("mzxid", z));
                lastSeen[s] = Math.max(lastSeen[s], z);
            } else {
                if (p.mode.equals("sync") && server[s] != 0) applyTo(sim, server[s], sim.txnKey.size(), server, watches);
                long at = appliedOf(sim, server[s]);
                long[] l = sim.latest(p.key, at);
                Map<String, Object> x = new HashMap<>();
                x.put("read-mode", p.mode);
                x.put("mzxid", l[0]);
                if (p.watch) {
                    x.put("watch", true);
                    watches.get(s).putIfAbsent(p.key, l[0]);
                }
                sim.op(OpType.OK, s, "read", l[1] < 0 ? null : l[1], p.key, node, 0x1000 + s, at, x);
                lastSeen[s] = Math.max(lastSeen[s], at);
            }
        }
        return sim.ops;
    }

    private static int appliedOf(Sim sim, int srv) {
        return srv == 0 ? sim.txnKey.size() : sim.applied[srv];
    }

    private static void applyTo(Sim sim, int srv, int to, int[] server, List<Map<String, Long>> watches) {
        // The leader applies each transaction as it commits: only the newest one is new to it.
        int from = srv == 0 ? Math.max(to - 1, 0) : sim.applied[srv];
        if (srv != 0) sim.applied[srv] = Math.max(sim.applied[srv], to);
        for (int z = from + 1; z <= to; z++) {
            String key = sim.txnKey.get(z - 1);
            for (int s = 0; s < server.length; s++) {
                if (server[s] == srv && watches.get(s).remove(key) != null) {
                    sim.op(OpType.INVOKE, 1_000_000 + s, "watch-event", null, null, "n" + srv, 0x1000 + s, null, Map.of());
                    sim.op(OpType.OK, 1_000_000 + s, "watch-event", null, null, "n" + srv, 0x1000 + s, null,
                            Map.of("watch-path", key, "event-type", "NodeDataChanged", "event-zxid", (long) z));
                }
            }
        }
    }

    /** Concurrent adds and reads of a correct set. */
    static List<Op> setHistory(int entries, int processes, long seed, int readEvery) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Op> ops = new ArrayList<>();
        Set<Long> set = new HashSet<>();
        List<Long> snapshot = new ArrayList<>();
        long next = 0;
        while (ops.size() < entries) {
            long p = rnd.nextInt(processes);
            if (rnd.nextInt(readEvery) == 0 || ops.size() >= entries - 2) {
                ops.add(new Op(ops.size(), ops.size(), OpType.INVOKE, p, "read", null, null, null, null, null, null));
                snapshot = new ArrayList<>(set);
                ops.add(new Op(ops.size(), ops.size(), OpType.OK, p, "read", snapshot, null, null, null, null, null));
            } else {
                long v = next++;
                ops.add(new Op(ops.size(), ops.size(), OpType.INVOKE, p, "add", v, null, null, null, null, null));
                set.add(v);
                ops.add(new Op(ops.size(), ops.size(), OpType.OK, p, "add", v, null, null, null, null, null));
            }
        }
        return ops;
    }

    /** A correct FIFO queue: enqueues, dequeues, a final drain. */
    static List<Op> queueHistory(int entries, int processes, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Op> ops = new ArrayList<>();
        java.util.ArrayDeque<Long> q = new java.util.ArrayDeque<>();
        long next = 0;
        while (ops.size() < entries - 2) {
            long p = rnd.nextInt(processes);
            if (rnd.nextBoolean() || q.isEmpty()) {
                long v = next++;
                ops.add(new Op(ops.size(), ops.size(), OpType.INVOKE, p, "enqueue", v, null, null, null, null, null));
                q.add(v);
                ops.add(new Op(ops.size(), ops.size(), OpType.OK, p, "enqueue", v, null, null, null, null, null));
            } else {
                ops.add(new Op(ops.size(), ops.size(), OpType.INVOKE, p, "dequeue", null, null, null, null, null, null));
                ops.add(new Op(ops.size(), ops.size(), OpType.OK, p, "dequeue", q.poll(), null, null, null, null, null));
            }
        }
        ops.add(new Op(ops.size(), ops.size(), OpType.INVOKE, 0, "drain", null, null, null, null, null, null));
        ops.add(new Op(ops.size(), ops.size(), OpType.OK, 0, "drain", new ArrayList<>(q), null, null, null, null, null));
        return ops;
    }

    /** A correct counter with overlapping adds and reads. */
    static List<Op> counterHistory(int entries, int processes, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Op> ops = new ArrayList<>();
        long value = 0;
        while (ops.size() < entries) {
            long p = rnd.nextInt(processes);
            if (rnd.nextInt(4) == 0) {
                ops.add(new Op(ops.size(), ops.size(), OpType.INVOKE, p, "read", null, null, null, null, null, null));
                ops.add(new Op(ops.size(), ops.size(), OpType.OK, p, "read", value, null, null, null, null, null));
            } else {
                long d = 1 + rnd.nextInt(3);
                ops.add(new Op(ops.size(), ops.size(), OpType.INVOKE, p, "add", d, null, null, null, null, null));
                value += d;
                ops.add(new Op(ops.size(), ops.size(), OpType.OK, p, "add", d, null, null, null, null, null));
            }
        }
        return ops;
    }
}
