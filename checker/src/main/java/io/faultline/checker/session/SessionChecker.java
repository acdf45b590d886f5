package io.faultline.checker.session;

import io.faultline.checker.Anomaly;
import io.faultline.checker.CheckResult;
import io.faultline.checker.Checker;
import io.faultline.checker.CheckerOptions;
import io.faultline.checker.Verdict;
import io.faultline.checker.history.Op;
import io.faultline.checker.jepsen.Call;
import io.faultline.checker.jepsen.Calls;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * ZooKeeper's guarantees and the session guarantees, checked from the zxids, mzxids and versions the
 * clients recorded (docs/history-format.md). Every check is a pass over sorted data, O(n log n) overall,
 * except the fallback search for register keys whose reads carry no mzxid.
 *
 * <p>Per session (ops in invocation order; the session id, not the process, defines the session):
 * fifo-client-order (replies in request order, reply zxids never go back on one server),
 * single-system-image (reply zxids never go back after moving to another server), read-your-writes,
 * monotonic-reads (both per key, by mzxid), monotonic-writes and writes-follow-reads (write zxids after
 * the session's earlier writes and reads), sequential-reads (each read fits a total order that extends
 * the zxid order of writes and the session's order: the session's position in the write order only
 * moves forward, and a read returns the version current at that position, with the value that write
 * wrote). Global: linearizable-writes (zxid order respects real-time order of writes), sync/leader reads
 * linearizable (the soft class), ephemeral lifecycle and watches. Anomaly kinds are the guarantee names
 * of {@link Guarantee}; details hold a status per guarantee.
 */
public final class SessionChecker implements Checker {
    public static final String NAME = "session";
    private static final int MAX_ANOMALIES_PER_KIND = 1000;
    private static final Set<String> EVENT_FS = Set.of("watch-event", "session-event");
    private static final Set<String> LINEARIZABLE_READ_MODES = Set.of("sync", "leader");

    private final SessionOptions options;

    public SessionChecker() {
        this(SessionOptions.defaults());
    }

    public SessionChecker(SessionOptions options) {
        this.options = options;
    }

    public SessionChecker(CheckerOptions opts) {
        this(SessionOptions.from(opts));
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Counts and anomalies of one guarantee. */
    private static final class Tally {
        long checked;
        long violations;
        String note;
        final List<Anomaly> anomalies = new ArrayList<>();
    }

    private final class Run {
        final Map<Guarantee, Tally> tallies = new EnumMap<>(Guarantee.class);
        final List<Call> calls;
        /** Register writes per key, ordered by zxid (acknowledged ones, and indeterminate ones a read revealed). */
        final Map<Object, KeyWrites> keyWrites = new HashMap<>();
        /** Register writes per key by written value, for reads that name a write by value. */
        final Map<Object, Map<Object, Call>> byValue = new HashMap<>();
        final Map<Call, Long> learnedZxid = new HashMap<>();
        boolean unknown;
        final Map<String, Object> searchDetails = new LinkedHashMap<>();

        Run(List<Op> history) {
            this.calls = Calls.of(history);
            for (Guarantee g : Guarantee.values()) tallies.put(g, new Tally());
        }

        Tally t(Guarantee g) {
            return tallies.get(g);
        }

        void fail(Guarantee g, String description, Long... witnesses) {
            Tally t = t(g);
            t.violations++;
            if (t.anomalies.size() < MAX_ANOMALIES_PER_KIND) {
                List<Long> w = new ArrayList<>();
                for (Long x : witnesses) if (x != null && x >= 0 && x != Long.MAX_VALUE && !w.contains(x)) w.add(x);
                w.sort(null);
                t.anomalies.add(new Anomaly(g.kind, description, w));
            }
        }
    }

    /** Acknowledged register writes of one key sorted by zxid, with suffix minima of completion positions. */
    private static final class KeyWrites {
        final List<Call> list = new ArrayList<>();
        final List<Long> zx = new ArrayList<>();
        long[] zxids;
        Call[] calls;
        long[] sufMinEnd;
        int[] sufMinAt;

        void add(Call c, long zxid) {
            list.add(c);
            zx.add(zxid);
        }

        void seal() {
            Integer[] order = new Integer[list.size()];
            for (int i = 0; i < order.length; i++) order[i] = i;
            Arrays.sort(order, Comparator.comparingLong(zx::get));
            zxids = new long[order.length];
            calls = new Call[order.length];
            for (int i = 0; i < order.length; i++) {
                zxids[i] = zx.get(order[i]);
                calls[i] = list.get(order[i]);
            }
            sufMinEnd = new long[order.length + 1];
            sufMinAt = new int[order.length + 1];
            sufMinEnd[order.length] = Long.MAX_VALUE;
            sufMinAt[order.length] = -1;
            for (int i = order.length - 1; i >= 0; i--) {
                boolean here = calls[i].end() < sufMinEnd[i + 1];
                sufMinEnd[i] = here ? calls[i].end() : sufMinEnd[i + 1];
                sufMinAt[i] = here ? i : sufMinAt[i + 1];
            }
            list.clear();
            zx.clear();
        }

        /** Position of the first write with zxid greater than {@code zxid}. */
        int firstAfter(long zxid) {
            int lo = 0, hi = zxids.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (zxids[mid] <= zxid) lo = mid + 1;
                else hi = mid;
            }
            return lo;
        }

        Call exactly(long zxid) {
            int i = firstAfter(zxid - 1);
            return i < zxids.length && zxids[i] == zxid ? calls[i] : null;
        }
    }

    @Override
    public CheckResult check(List<Op> history) {
        Run run = new Run(history);
        indexRegisterWrites(run);
        Map<Long, List<Call>> sessions = bySession(run.calls);
        for (List<Call> session : sessions.values()) checkSession(run, session);
        checkLinearizableWrites(run);
        checkSyncReads(run);
        searchUnversionedKeys(run);
        checkEphemerals(run, sessions);
        checkWatches(run, sessions);
        return result(run, sessions.size());
    }

    // ---------------------------------------------------------------------------------------------
    // Indexes

    private static Long sessionOf(Call c) {
        if (c.completion() != null && c.completion().session() != null) return c.completion().session();
        return c.invoke().session();
    }

    private static Object keyOf(Call c) {
        Object k = c.invoke().key();
        if (k == null && c.completion() != null) k = c.completion().key();
        return Calls.element(k);
    }

    private static Long zxidOf(Call c) {
        if (c.completion() == null || c.indeterminate()) return null;
        Long z = c.completion().zxid();
        return z != null && z > 0 ? z : null;
    }

    private static Long mzxidOf(Call c) {
        return Calls.asLong(c.extra("mzxid"));
    }

    private static String nodeOf(Call c) {
        return c.completion() == null ? c.invoke().node() : c.completion().node();
    }

    private static long timeOf(Op op) {
        return op.time();
    }

    private static Object writtenValue(Call c) {
        Object v = c.invoke().value();
        if (c.f().equals("cas") && v instanceof List<?> l && l.size() == 2) return Calls.element(l.get(1));
        return Calls.element(v);
    }

    private void indexRegisterWrites(Run run) {
        for (Call c : run.calls) {
            if (!options.registerWriteFs().contains(c.f()) || c.failed()) continue;
            Object key = keyOf(c);
            run.byValue.computeIfAbsent(key, k -> new HashMap<>()).putIfAbsent(writtenValue(c), c);
            Long z = zxidOf(c);
            if (c.ok() && z != null) run.keyWrites.computeIfAbsent(key, k -> new KeyWrites()).add(c, z);
        }
        // A read naming an indeterminate write by value reveals that it took effect, and its zxid.
        for (Call c : run.calls) {
            if (!c.ok() || !options.readFs().contains(c.f())) continue;
            Long m = mzxidOf(c);
            if (m == null || m <= 0) continue;
            Object key = keyOf(c);
            Call w = run.byValue.getOrDefault(key, Map.of()).get(Calls.element(c.completion().value()));
            if (w != null && !w.ok() && !run.learnedZxid.containsKey(w)) {
                run.learnedZxid.put(w, m);
                run.keyWrites.computeIfAbsent(key, k -> new KeyWrites()).add(w, m);
            }
        }
        run.keyWrites.values().forEach(KeyWrites::seal);
    }

    private static Map<Long, List<Call>> bySession(List<Call> calls) {
        Map<Long, List<Call>> sessions = new LinkedHashMap<>();
        for (Call c : calls) {
            Long s = sessionOf(c);
            if (s != null) sessions.computeIfAbsent(s, k -> new ArrayList<>()).add(c);
        }
        return sessions;
    }

    // ---------------------------------------------------------------------------------------------
    // Per-session guarantees

    private void checkSession(Run run, List<Call> session) {
        long lastZ = -1;
        Call lastZCall = null;
        long prevEnd = -1;
        Call prevEndCall = null;
        Map<Object, Call> lastReadByKey = new HashMap<>();
        Map<Object, Call> lastWriteByKey = new HashMap<>();
        Map<Call, Long> zxidOfWrite = new HashMap<>();
        long lastWriteZ = -1;
        Call lastWrite = null;
        long maxReadM = -1;
        Call maxRead = null;
        long pos = -1;          // the session's position in the zxid order of writes
        Call posCall = null;
        for (Call c : session) {
            if (EVENT_FS.contains(c.f())) continue;
            boolean answered = c.completion() != null && !c.indeterminate();
            if (answered) {
                if (prevEndCall != null) {
                    run.t(Guarantee.FIFO_CLIENT_ORDER).checked++;
                    if (c.end() < prevEnd) {
                        run.fail(Guarantee.FIFO_CLIENT_ORDER, "the reply to " + describe(c)
                                + " arrived before the reply to the earlier request " + describe(prevEndCall),
                                prevEndCall.start(), c.start(), c.end(), prevEndCall.end());
                    }
                }
                if (c.end() > prevEnd) {
                    prevEnd = c.end();
                    prevEndCall = c;
                }
                Long z = zxidOf(c);
                if (z != null) {
                    if (lastZCall != null) {
                        String from = nodeOf(lastZCall), to = nodeOf(c);
                        boolean moved = !Objects.equals(from, to);
                        Guarantee g = moved ? Guarantee.SINGLE_SYSTEM_IMAGE : Guarantee.FIFO_CLIENT_ORDER;
                        run.t(g).checked++;
                        if (z < lastZ) {
                            run.fail(g, "session " + hex(sessionOf(c)) + " saw zxid " + hex(lastZ) + " in "
                                    + describe(lastZCall) + (moved ? " on " + from + ", then, after moving to " + to
                                    + ", the older zxid " : " then the older zxid ") + hex(z) + " in " + describe(c)
                                    + (moved ? "" : " on the same server"), lastZCall.end(), c.end());
                        }
                    }
                    if (z > lastZ) {
                        lastZ = z;
                        lastZCall = c;
                    }
                    // Every reply shows the session a state at least this new, except versioned reads,
                    // which are placed below (their own zxid bounds what they may return).
                    boolean versionedRead = c.ok() && options.readFs().contains(c.f()) && mzxidOf(c) != null;
                    if (z > pos && !versionedRead) {
                        pos = z;
                        posCall = c;
                    }
                }
            }
            if (!c.ok()) continue;
            Long z = zxidOf(c);
            if (options.writeFs().contains(c.f()) && z != null) {
                if (lastWrite != null) {
                    run.t(Guarantee.MONOTONIC_WRITES).checked++;
                    if (z <= lastWriteZ) {
                        run.fail(Guarantee.MONOTONIC_WRITES, describe(c) + " got zxid " + hex(z)
                                + ", not after the session's earlier " + describe(lastWrite) + " at zxid "
                                + hex(lastWriteZ), lastWrite.end(), c.end());
                    }
                }
                if (maxRead != null) {
                    run.t(Guarantee.WRITES_FOLLOW_READS).checked++;
                    if (z <= maxReadM) {
                        run.fail(Guarantee.WRITES_FOLLOW_READS, describe(c) + " got zxid " + hex(z)
                                + ", not after the version " + hex(maxReadM) + " the session had read in "
                                + describe(maxRead), maxRead.end(), c.end());
                    }
                }
                if (z > lastWriteZ) {
                    lastWriteZ = z;
                    lastWrite = c;
                }
                if (z > pos) {
                    pos = z;
                    posCall = c;
                }
                if (options.registerWriteFs().contains(c.f())) {
                    lastWriteByKey.put(keyOf(c), c);
                    zxidOfWrite.put(c, z);
                }
            }
            Long m = mzxidOf(c);
            Object key = keyOf(c);
            if (!options.readFs().contains(c.f()) || m == null) continue;
            boolean flagged = false;
            Call own = lastWriteByKey.get(key);
            if (own != null) {
                run.t(Guarantee.READ_YOUR_WRITES).checked++;
                long w = zxidOfWrite.get(own);
                if (m < w) {
                    flagged = true;
                    run.fail(Guarantee.READ_YOUR_WRITES, describe(c) + " returned version " + hex(m) + " of key " + key
                            + ", older than the session's own " + describe(own) + " at zxid " + hex(w),
                            own.end(), c.start(), c.end());
                }
            }
            Call prev = lastReadByKey.get(key);
            if (prev != null) {
                run.t(Guarantee.MONOTONIC_READS).checked++;
                long pm = mzxidOf(prev);
                if (m < pm) {
                    flagged = true;
                    run.fail(Guarantee.MONOTONIC_READS, describe(c) + " returned version " + hex(m) + " of key " + key
                            + ", older than version " + hex(pm) + " the session read before in " + describe(prev),
                            prev.end(), c.start(), c.end());
                }
            }
            run.t(Guarantee.SEQUENTIAL_READS).checked++;
            flagged |= checkReadValue(run, c, key, m);
            // The session's earlier replies put it at zxid pos (a server's reply zxid is its last applied
            // zxid, and later requests, also after a reconnect, are served from states at least that new):
            // the version returned must still be current at pos. The read's own reply zxid only bounds later
            // ops, since a server may apply a commit between reading and stamping the reply.
            KeyWrites kw = run.keyWrites.get(key);
            if (kw != null && !flagged) {
                int i = kw.firstAfter(m);
                if (i < kw.zxids.length && pos >= kw.zxids[i]) {
                    Call newer = kw.calls[i];
                    run.fail(Guarantee.SEQUENTIAL_READS, describe(c) + " returned version " + hex(m) + " of key " + key
                            + ", but the session had already reached zxid " + hex(pos) + " (" + describe(posCall)
                            + "), after " + describe(newer) + " overwrote it at zxid " + hex(kw.zxids[i]),
                            posCall.end(), newer.end(), c.start(), c.end());
                }
            }
            long servedAt = z != null ? Math.max(z, m) : m;
            if (servedAt > pos) {
                pos = servedAt;
                posCall = c;
            }
            lastReadByKey.put(key, c);
            if (m > maxReadM) {
                maxReadM = m;
                maxRead = c;
            }
        }
    }

    /** The value a versioned read returned must be the one its version's write wrote. True if it is not. */
    private boolean checkReadValue(Run run, Call read, Object key, long m) {
        Object v = Calls.element(read.completion().value());
        if (m <= 0) {
            if (v != null) {
                run.fail(Guarantee.SEQUENTIAL_READS, describe(read) + " returned " + v + " with version 0 (never written)",
                        read.end());
                return true;
            }
            return false;
        }
        KeyWrites kw = run.keyWrites.get(key);
        Call w = kw == null ? null : kw.exactly(m);
        if (w != null) {
            if (!Objects.equals(writtenValue(w), v)) {
                run.fail(Guarantee.SEQUENTIAL_READS, describe(read) + " returned " + v + " at version " + hex(m)
                        + ", but " + describe(w) + " wrote " + writtenValue(w) + " at that zxid", w.end(), read.end());
                return true;
            }
            return false;
        }
        Call byValue = run.byValue.getOrDefault(key, Map.of()).get(v);
        if (byValue == null && v != null && !run.byValue.isEmpty()) {
            run.fail(Guarantee.SEQUENTIAL_READS, describe(read) + " returned " + v + " for key " + key
                    + ", a value no write of that key wrote", read.end());
            return true;
        }
        return false;
    }

    // ---------------------------------------------------------------------------------------------
    // Writes ordered by zxid respect real time; sync / leader reads are linearizable

    private void checkLinearizableWrites(Run run) {
        List<Call> writes = new ArrayList<>();
        List<Long> zx = new ArrayList<>();
        for (Call c : run.calls) {
            Long z = zxidOf(c);
            if (c.ok() && z != null && options.writeFs().contains(c.f())) {
                writes.add(c);
                zx.add(z);
            }
        }
        Integer[] order = new Integer[writes.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingLong(zx::get));
        Tally t = run.t(Guarantee.LINEARIZABLE_WRITES);
        t.checked = writes.size();
        for (int i = 1; i < order.length; i++) {
            if (zx.get(order[i]).equals(zx.get(order[i - 1]))) {
                Call a = writes.get(order[i - 1]), b = writes.get(order[i]);
                run.fail(Guarantee.LINEARIZABLE_WRITES, describe(a) + " and " + describe(b) + " both got zxid "
                        + hex(zx.get(order[i])), a.end(), b.end());
            }
        }
        Call earliestLater = null; // among writes with a higher zxid: the one that completed first
        for (int i = order.length - 1; i >= 0; i--) {
            Call w = writes.get(order[i]);
            if (earliestLater != null && earliestLater.end() < w.start()) {
                run.fail(Guarantee.LINEARIZABLE_WRITES, describe(earliestLater) + " completed before " + describe(w)
                        + " began, yet got the higher zxid " + hex(zxidOf(earliestLater)) + " > " + hex(zxidOf(w)),
                        earliestLater.start(), earliestLater.end(), w.start(), w.end());
            }
            if (earliestLater == null || w.end() < earliestLater.end()) earliestLater = w;
        }
    }

    private void checkSyncReads(Run run) {
        for (Call c : run.calls) {
            if (!c.ok() || !options.readFs().contains(c.f())) continue;
            if (!LINEARIZABLE_READ_MODES.contains(String.valueOf(c.extra("read-mode")))) continue;
            Long m = mzxidOf(c);
            if (m == null) continue;
            Tally t = run.t(Guarantee.SYNC_READS);
            t.checked++;
            KeyWrites kw = run.keyWrites.get(keyOf(c));
            if (kw == null) continue;
            int i = kw.firstAfter(m);
            if (kw.sufMinEnd[i] < c.start()) {
                Call newer = kw.calls[kw.sufMinAt[i]];
                run.fail(Guarantee.SYNC_READS, c.extra("read-mode") + " " + describe(c) + " returned version " + hex(m)
                        + " of key " + keyOf(c) + " though " + describe(newer) + " (zxid " + hex(kw.zxids[kw.sufMinAt[i]])
                        + ") completed before the read began; allowed by ZooKeeper in leader-change corner cases",
                        newer.end(), c.start(), c.end());
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Fallback: sequential consistency by search, for keys whose reads carry no mzxid

    private void searchUnversionedKeys(Run run) {
        Map<Object, Map<Long, List<SequentialSearch.Step>>> byKey = new HashMap<>();
        java.util.Set<Object> needed = new java.util.HashSet<>();
        for (Call c : run.calls) {
            if (c.ok() && options.readFs().contains(c.f()) && mzxidOf(c) == null && keyOf(c) != null) {
                needed.add(keyOf(c));
            }
        }
        if (needed.isEmpty()) return;
        for (Call c : run.calls) {
            Object key = keyOf(c);
            if (!needed.contains(key)) continue;
            Long s = sessionOf(c);
            long sid = s != null ? s : -2 - c.process(); // without session ids, processes are the sessions
            SequentialSearch.Step step = null;
            if (options.registerWriteFs().contains(c.f()) && !c.failed()) {
                step = new SequentialSearch.Step(c, true, !c.ok(), writtenValue(c));
            } else if (options.readFs().contains(c.f()) && c.ok()) {
                step = new SequentialSearch.Step(c, false, false, Calls.element(c.completion().value()));
            }
            if (step != null) byKey.computeIfAbsent(key, k -> new LinkedHashMap<>()).computeIfAbsent(sid, k -> new ArrayList<>()).add(step);
        }
        Map<String, Object> outcomes = new TreeMap<>();
        for (var e : byKey.entrySet()) {
            run.t(Guarantee.SEQUENTIAL_READS).checked++;
            var r = SequentialSearch.search(new ArrayList<>(e.getValue().values()), options.searchStateBudget());
            outcomes.put(String.valueOf(e.getKey()), r.outcome().name().toLowerCase(java.util.Locale.ROOT));
            switch (r.outcome()) {
                case FAIL -> run.fail(Guarantee.SEQUENTIAL_READS, "no order of key " + e.getKey()
                        + "'s ops that keeps every session's order explains " + describe(r.blocked().call())
                        + " returning " + r.blocked().value() + " (search without versions)",
                        r.blocked().call().start(), r.blocked().call().end());
                case UNKNOWN -> run.unknown = true;
                case PASS -> { }
            }
        }
        run.searchDetails.put("keys-searched", outcomes.size() > 100 ? outcomes.size() : outcomes);
    }

    // ---------------------------------------------------------------------------------------------
    // Ephemerals

    private record Incarnation(String path, long czxid, Long owner, Call create) {}

    private record SessionLife(long timeoutMs, long lastHeartbeatNs, Call crash, Call close, Long closeZxid,
                               Call expired) {
        /** When every ephemeral must be gone, in ns, or MAX if the session did not die. */
        long deadlineNs(long slackMs) {
            if (crash == null && expired == null) return Long.MAX_VALUE;
            if (timeoutMs <= 0 || lastHeartbeatNs < 0) return Long.MAX_VALUE;
            return lastHeartbeatNs + (timeoutMs + slackMs) * 1_000_000L;
        }
    }

    private static Object pathOf(Call c) {
        Object p = c.f().equals("read") ? keyOf(c) : c.invoke().value();
        return p == null ? null : String.valueOf(p);
    }

    private void checkEphemerals(Run run, Map<Long, List<Call>> sessions) {
        Map<String, List<Incarnation>> incarnations = new HashMap<>();
        for (Call c : run.calls) {
            if (c.ok() && c.f().equals("create") && Boolean.TRUE.equals(c.extra("ephemeral"))) {
                Object p = c.completion().value() != null ? c.completion().value() : c.invoke().value();
                Long cz = Calls.asLong(c.extra("czxid"));
                if (cz == null) cz = zxidOf(c);
                if (p == null || cz == null) continue;
                incarnations.computeIfAbsent(String.valueOf(p), k -> new ArrayList<>())
                        .add(new Incarnation(String.valueOf(p), cz, sessionOf(c), c));
            }
        }
        Tally t = run.t(Guarantee.EPHEMERAL_LIFECYCLE);
        if (incarnations.isEmpty()) return;
        incarnations.values().forEach(l -> l.sort(Comparator.comparingLong(Incarnation::czxid)));
        Map<Long, SessionLife> lives = new HashMap<>();
        for (var e : sessions.entrySet()) lives.put(e.getKey(), life(e.getValue()));
        Map<String, List<Call>> deletes = new HashMap<>();
        Map<String, List<Call>> goneSightings = new HashMap<>(); // exists == false, by zxid
        List<Call> observations = new ArrayList<>();
        for (Call c : run.calls) {
            if (c.f().equals("delete") && !c.failed() && c.invoke().value() != null) {
                deletes.computeIfAbsent(String.valueOf(c.invoke().value()), k -> new ArrayList<>()).add(c);
            }
            if (c.ok() && c.f().equals("exists") && c.invoke().value() != null
                    && incarnations.containsKey(String.valueOf(c.invoke().value()))) {
                observations.add(c);
                if (Boolean.FALSE.equals(c.completion().value()) && zxidOf(c) != null) {
                    goneSightings.computeIfAbsent(String.valueOf(c.invoke().value()), k -> new ArrayList<>()).add(c);
                }
            }
        }
        goneSightings.values().forEach(l -> l.sort(Comparator.comparingLong(SessionChecker::zxidOf)));
        for (Call o : observations) {
            String path = String.valueOf(o.invoke().value());
            List<Incarnation> incs = incarnations.get(path);
            Long z = zxidOf(o);
            boolean exists = Boolean.TRUE.equals(o.completion().value());
            Incarnation inc = null;
            Long seenCzxid = Calls.asLong(o.extra("czxid"));
            for (Incarnation i : incs) {
                if (exists && seenCzxid != null) {
                    if (i.czxid == seenCzxid) inc = i;
                } else if (z != null ? i.czxid <= z : i.create.end() < o.start()) {
                    inc = i;
                }
            }
            if (inc == null) continue;
            t.checked++;
            SessionLife life = lives.get(inc.owner);
            if (exists) {
                if (life != null && life.closeZxid != null && z != null && z >= life.closeZxid) {
                    run.fail(Guarantee.EPHEMERAL_LIFECYCLE, "ephemeral " + path + " of session " + hex(inc.owner)
                            + " still existed at zxid " + hex(z) + " (" + describe(o) + ") though the session closed at zxid "
                            + hex(life.closeZxid), inc.create.end(), life.close.end(), o.end());
                    continue;
                }
                long deadline = life == null ? Long.MAX_VALUE : life.deadlineNs(options.ephemeralSlackMs());
                if (LINEARIZABLE_READ_MODES.contains(String.valueOf(o.extra("read-mode")))
                        && o.invoke().time() >= 0 && o.invoke().time() > deadline) {
                    Call death = life.crash != null ? life.crash : life.expired;
                    run.fail(Guarantee.EPHEMERAL_LIFECYCLE, "ephemeral " + path + " of session " + hex(inc.owner)
                            + " still existed " + (o.invoke().time() - life.lastHeartbeatNs) / 1_000_000
                            + " ms after the session's last heartbeat (timeout " + life.timeoutMs + " ms + slack "
                            + options.ephemeralSlackMs() + " ms) in " + describe(o), inc.create.end(), death.end(), o.end());
                    continue;
                }
                List<Call> gone = goneSightings.getOrDefault(path, List.of());
                if (z != null) {
                    for (Call g : gone) { // first sighting of absence after this incarnation was created
                        long gz = zxidOf(g);
                        if (gz < inc.czxid) continue;
                        if (gz <= z) {
                            run.fail(Guarantee.EPHEMERAL_LIFECYCLE, "ephemeral " + path + " (created at zxid "
                                    + hex(inc.czxid) + ") was seen gone at zxid " + hex(gz) + " (" + describe(g)
                                    + ") and again existing at zxid " + hex(z) + " (" + describe(o) + ")",
                                    inc.create.end(), g.end(), o.end());
                        }
                        break;
                    }
                }
            } else if (z != null && life != null) {
                boolean ownerDead = life.crash != null && life.crash.start() < o.end()
                        || life.expired != null && life.expired.start() < o.end()
                        || life.close != null && (life.closeZxid == null ? life.close.start() < o.end() : life.closeZxid <= z);
                boolean deleted = false;
                for (Call d : deletes.getOrDefault(path, List.of())) deleted |= d.start() < o.end();
                boolean lastSession = sessions.get(inc.owner) != null;
                if (!ownerDead && !deleted && lastSession && !sessionEndedUnrecorded(sessions.get(inc.owner), o)) {
                    run.fail(Guarantee.EPHEMERAL_LIFECYCLE, "ephemeral " + path + " (created at zxid " + hex(inc.czxid)
                            + " by session " + hex(inc.owner) + ") was missing at zxid " + hex(z) + " (" + describe(o)
                            + ") while its session was alive and nobody deleted it", inc.create.end(), o.end());
                }
            }
        }
    }

    /** A session whose op failed with session-expired before the observation may have died unrecorded. */
    private static boolean sessionEndedUnrecorded(List<Call> session, Call before) {
        for (Call c : session) {
            if (c.start() > before.end()) break;
            Object err = c.extra("error");
            if (err != null && String.valueOf(err).contains("expired")) return true;
        }
        return false;
    }

    private static SessionLife life(List<Call> session) {
        long timeout = -1, heartbeat = -1;
        Call crash = null, close = null, expired = null;
        Long closeZxid = null;
        for (Call c : session) {
            Long t = Calls.asLong(c.extra("session-timeout-ms"));
            if (t != null) timeout = Math.max(timeout, t);
            switch (c.f()) {
                case "crash-session" -> {
                    if (c.ok() && crash == null) crash = c;
                }
                case "close-session" -> {
                    if (!c.failed() && close == null) {
                        close = c;
                        closeZxid = zxidOf(c);
                    }
                }
                case "session-event" -> {
                    if (c.ok() && "Expired".equals(String.valueOf(c.extra("state"))) && expired == null) expired = c;
                }
                default -> { }
            }
            if (!EVENT_FS.contains(c.f()) && c.completion() != null && !c.indeterminate() && c.completion().time() >= 0
                    && (crash == null || c == crash)) {
                heartbeat = Math.max(heartbeat, timeOf(c.completion()));
            }
        }
        return new SessionLife(timeout, heartbeat, crash, close, closeZxid, expired);
    }

    // ---------------------------------------------------------------------------------------------
    // Watches

    private static final class Registration {
        final Call call;
        final long baseline;
        boolean reported;

        Registration(Call call, long baseline) {
            this.call = call;
            this.baseline = baseline;
        }
    }

    private void checkWatches(Run run, Map<Long, List<Call>> sessions) {
        for (List<Call> session : sessions.values()) {
            boolean watched = false;
            for (Call c : session) {
                watched |= c.ok() && (c.f().equals("watch-event") || Boolean.TRUE.equals(c.extra("watch")));
            }
            if (!watched) continue;
            List<Call> relevant = new ArrayList<>(); // every reply and event: replies also tell which server
            for (Call c : session) if (c.ok()) relevant.add(c);
            relevant.sort(Comparator.comparingLong(Call::end)); // the order the client received replies and events
            Map<String, Registration> data = new HashMap<>();
            Map<String, Registration> child = new HashMap<>();
            Map<String, Call> lastEvent = new HashMap<>();
            Call prevEvent = null;
            long prevEventZxid = -1;
            String connectedTo = null;
            for (Call c : relevant) {
                // Event order is promised per connection: after a reconnect, the new server may still fire
                // (re-registered) watches for changes older than events the previous server delivered.
                String node = nodeOf(c);
                if (node != null && !node.equals(connectedTo)) {
                    if (connectedTo != null) {
                        prevEvent = null;
                        prevEventZxid = -1;
                    }
                    connectedTo = node;
                }
                if (c.f().equals("watch-event")) {
                    String path = String.valueOf(c.extra("watch-path"));
                    String type = String.valueOf(c.extra("event-type"));
                    Long ez = Calls.asLong(c.extra("event-zxid"));
                    if (ez != null && ez >= 0) {
                        if (prevEvent != null) {
                            run.t(Guarantee.WATCH_ORDER).checked++;
                            if (ez < prevEventZxid) {
                                run.fail(Guarantee.WATCH_ORDER, "session " + hex(sessionOf(c)) + " received the "
                                        + type + " event of zxid " + hex(ez) + " for " + path + " after the event of zxid "
                                        + hex(prevEventZxid), prevEvent.end(), c.end());
                            }
                        }
                        if (ez > prevEventZxid) {
                            prevEventZxid = ez;
                            prevEvent = c;
                        }
                    }
                    if (type.equals("None")) continue;
                    run.t(Guarantee.WATCH_ONCE).checked++;
                    boolean consumed = switch (type) {
                        case "NodeChildrenChanged" -> child.remove(path) != null;
                        case "NodeDeleted" -> data.remove(path) != null | child.remove(path) != null;
                        default -> data.remove(path) != null;
                    };
                    if (!consumed) {
                        Call before = lastEvent.get(path);
                        run.fail(Guarantee.WATCH_ONCE, "session " + hex(sessionOf(c)) + " received " + type + " for "
                                + path + " with no watch registered" + (before != null ? " (the watch had already fired)" : ""),
                                before == null ? null : before.end(), c.end());
                    }
                    lastEvent.put(path, c);
                    continue;
                }
                String path = String.valueOf(pathOf(c));
                Long m = mzxidOf(c);
                if (options.readFs().contains(c.f()) && m != null) {
                    Registration r = data.get(path);
                    if (r != null) {
                        run.t(Guarantee.WATCH_BEFORE_DATA).checked++;
                        if (m > r.baseline && !r.reported) {
                            r.reported = true;
                            run.fail(Guarantee.WATCH_BEFORE_DATA, describe(c) + " returned version " + hex(m) + " of "
                                    + path + ", newer than the version " + hex(r.baseline) + " its pending watch (set by "
                                    + describe(r.call) + ") was registered at, before the watch event arrived",
                                    r.call.end(), c.end());
                        }
                    }
                }
                if (Boolean.TRUE.equals(c.extra("watch"))) {
                    Map<String, Registration> target = c.f().equals("children") ? child : data;
                    long baseline = m != null ? m : zxidOf(c) != null ? zxidOf(c) : Long.MAX_VALUE;
                    target.putIfAbsent(path, new Registration(c, baseline));
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Result

    private CheckResult result(Run run, int sessionCount) {
        List<Anomaly> anomalies = new ArrayList<>();
        Map<String, Object> guarantees = new LinkedHashMap<>();
        Map<String, Long> counts = new TreeMap<>();
        boolean hardFailure = false, anyChecked = false;
        for (var e : run.tallies.entrySet()) {
            Guarantee g = e.getKey();
            Tally t = e.getValue();
            String status = t.violations > 0 ? "fail" : t.checked > 0 ? "pass" : "not-applicable";
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("status", status);
            d.put("checked", t.checked);
            d.put("violations", t.violations);
            d.put("hard", g.hard);
            if (!g.hard) d.put("note", "allowed by ZooKeeper in leader-change corner cases (sync is not a quorum operation)");
            guarantees.put(g.kind, d);
            if (t.violations > 0) counts.put(g.kind, t.violations);
            anomalies.addAll(t.anomalies);
            hardFailure |= g.hard && t.violations > 0;
            anyChecked |= t.checked > 0;
        }
        anomalies.sort(Comparator.comparing((Anomaly a) -> a.witnesses().isEmpty() ? -1L : a.witnesses().get(0)));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("sessions", (long) sessionCount);
        details.put("guarantees", guarantees);
        details.put("anomaly-counts", counts);
        details.put("soft-anomaly-kinds", Guarantee.softKinds());
        if (!run.searchDetails.isEmpty()) details.put("search", run.searchDetails);
        Verdict verdict = hardFailure ? Verdict.INVALID : run.unknown || !anyChecked ? Verdict.UNKNOWN : Verdict.VALID;
        long soft = run.t(Guarantee.SYNC_READS).violations;
        String summary;
        if (hardFailure) {
            summary = "violated: " + String.join(", ", counts.entrySet().stream()
                    .filter(c -> !Guarantee.softKinds().contains(c.getKey())).map(c -> c.getKey() + " x" + c.getValue()).toList());
        } else if (!anyChecked) {
            summary = "nothing to check: the history has no session ids, zxids or versions";
        } else {
            long pass = guarantees.values().stream().filter(v -> "pass".equals(((Map<?, ?>) v).get("status"))).count();
            summary = sessionCount + " sessions: " + pass + " guarantees hold" + (run.unknown ? ", search inconclusive" : "");
        }
        if (soft > 0) summary += "; " + soft + " sync/leader read(s) not linearizable (allowed by ZooKeeper in leader-change corner cases)";
        return new CheckResult(NAME, verdict, summary, anomalies, details);
    }

    private static String describe(Call c) {
        Op o = c.invoke();
        StringBuilder b = new StringBuilder();
        b.append(o.f());
        if (o.key() != null) b.append(' ').append(o.key());
        if (o.value() != null) b.append(' ').append(o.value());
        b.append(" (op ").append(c.last().index()).append(", process ").append(o.process()).append(')');
        return b.toString();
    }

    private static String hex(Long z) {
        return z == null ? "?" : "0x" + Long.toHexString(z);
    }
}
