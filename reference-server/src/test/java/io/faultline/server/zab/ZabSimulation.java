package io.faultline.server.zab;

import io.faultline.server.zab.ZabAction.AppendLog;
import io.faultline.server.zab.ZabAction.Apply;
import io.faultline.server.zab.ZabAction.CloseChannel;
import io.faultline.server.zab.ZabAction.Established;
import io.faultline.server.zab.ZabAction.PersistAcceptedEpoch;
import io.faultline.server.zab.ZabAction.PersistCurrentEpoch;
import io.faultline.server.zab.ZabAction.CompactLog;
import io.faultline.server.zab.ZabAction.InstallSnapshot;
import io.faultline.server.zab.ZabAction.SendSnapshot;
import io.faultline.server.zab.ZabAction.RequestForwarded;
import io.faultline.server.zab.ZabAction.RoleChanged;
import io.faultline.server.zab.ZabAction.Send;
import io.faultline.server.zab.ZabAction.ServingChanged;
import io.faultline.server.zab.ZabAction.SyncDone;
import io.faultline.server.zab.ZabAction.TruncateLog;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Deterministic simulation of a ZAB ensemble: the real {@link ZabPeer} cores on a simulated network (FIFO per
 * connection, random delays, reordering across connections, connection drops, partitions) and simulated disks
 * (only what was fsynced survives a crash), driven by one seeded scheduler over virtual time. Invariants are
 * checked as the run goes; any violation throws {@link InvariantViolation}.
 *
 * <p>The replicated application is a register: a transaction is an 8-byte value; applying it sets the register.
 */
final class ZabSimulation {

    static final class InvariantViolation extends AssertionError {
        InvariantViolation(String message) {
            super(message);
        }
    }

    /** Knobs of one run. Times are virtual time units; a core tick is {@link #TICK} units. */
    record Options(int voters, int observers, int chaosTime, int quietTime, double faultRate, boolean crashes,
            int maxDiffEntries, boolean snapshots, Set<InjectedBug> bugs) {
        static Options of(int voters, int observers) {
            return new Options(voters, observers, 4000, 2500, 1.0, true, 6, true, Set.of());
        }

        Options withBugs(InjectedBug... injected) {
            return new Options(voters, observers, chaosTime, quietTime, faultRate, crashes, maxDiffEntries, snapshots,
                    Set.of(injected));
        }
    }

    static final int TICK = 10;

    /** A completed or pending client write. */
    static final class ClientWrite {
        final long value;
        final long node;
        final long invokeTime;
        final long invokeSeq;
        long completeSeq = -1;
        long completeTime = -1;
        long zxid = -1;
        boolean indeterminate;

        ClientWrite(long value, long node, long invokeTime, long invokeSeq) {
            this.value = value;
            this.node = node;
            this.invokeTime = invokeTime;
            this.invokeSeq = invokeSeq;
        }
    }

    /** A client read done as sync() then a local read. */
    record ClientRead(long node, int incarnation, long invokeTime, long completeTime, long value, long appliedZxid) {}

    private static final class Disk {
        long acceptedEpoch;
        long currentEpoch;
        /** The durable snapshot: the applied sequence it stands for (the application state is that sequence). */
        long snapshotZxid;
        List<LogEntry> snapshot = List.of();
        final List<LogEntry> durable = new ArrayList<>();
        final List<AppendLog> pending = new ArrayList<>();
        boolean flushScheduled;

        void flushPending() {
            for (AppendLog a : pending) {
                durable.addAll(a.entries());
            }
            pending.clear();
        }

        ZabPeer.DurableState state() {
            return new ZabPeer.DurableState(acceptedEpoch, currentEpoch, snapshotZxid, List.copyOf(durable));
        }
    }

    private final class Node {
        final long id;
        final ZabConfig cfg;
        final Disk disk = new Disk();
        ZabPeer peer; // null while crashed
        int incarnation;
        final List<LogEntry> applied = new ArrayList<>();
        long register;
        final Map<Long, Long> seenGen = new HashMap<>();
        boolean serving;
        final Map<Long, Long> pendingReads = new HashMap<>(); // syncId -> invoke time

        Node(long id, ZabConfig cfg) {
            this.id = id;
            this.cfg = cfg;
        }

        boolean up() {
            return peer != null;
        }
    }

    private record Link(long from, long to) {}

    private record InFlight(long ready, long gen, ZabMessage message, boolean marker) {}

    private sealed interface Event permits Tick, Deliver, Flush, Restart, Timed {}

    private record Tick(long node, int incarnation) implements Event {}

    private record Deliver(Link link) implements Event {}

    private record Flush(long node, int incarnation) implements Event {}

    private record Restart(long node) implements Event {}

    private record Timed(Runnable action) implements Event {}

    private record Scheduled(long time, long seq, Event event) {}

    final long seed;
    final Options options;
    private final Random rnd;
    private final TreeMap<Long, Node> nodes = new TreeMap<>();
    private final PriorityQueue<Scheduled> queue = new PriorityQueue<>(
            (a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
    private long seq;
    private long time;

    private final Map<Link, ArrayDeque<InFlight>> links = new HashMap<>();
    private final Set<Link> deliveryScheduled = new HashSet<>();
    private final Set<Link> blocked = new HashSet<>();
    private final Map<Long, Long> pairGen = new HashMap<>(); // key = min * 1000 + max

    // Invariant state.
    private final Map<Long, Long> establishedLeader = new TreeMap<>();
    private final List<LogEntry> global = new ArrayList<>();
    private final Map<Long, Integer> globalIndex = new HashMap<>(); // zxid -> index in global
    private final Map<Long, ClientWrite> writesByValue = new HashMap<>();
    final List<ClientWrite> writes = new ArrayList<>();
    final List<ClientRead> reads = new ArrayList<>();
    private long nextValue = 1;
    private long opSeq; // orders client events: invocations and completions, in the order they happened
    /** After quiescence, what each server's register holds: {value, number of writes applied}. */
    final List<long[]> finalReads = new ArrayList<>();
    private long nextSyncId = 1;
    final List<String> trace = new ArrayList<>();
    private int faults;
    long steps;
    int elections;
    /** SNAPs installed by learners (state transfer exercised). */
    int snapshotsInstalled;

    ZabSimulation(long seed, Options options) {
        this.seed = seed;
        this.options = options;
        this.rnd = new Random(seed);
        TreeSet<Long> voters = new TreeSet<>();
        TreeSet<Long> observers = new TreeSet<>();
        for (long i = 1; i <= options.voters(); i++) {
            voters.add(i);
        }
        for (long i = options.voters() + 1; i <= options.voters() + options.observers(); i++) {
            observers.add(i);
        }
        for (long id : voters) {
            nodes.put(id, new Node(id, config(id, voters, observers)));
        }
        for (long id : observers) {
            nodes.put(id, new Node(id, config(id, voters, observers)));
        }
    }

    private ZabConfig config(long id, TreeSet<Long> voters, TreeSet<Long> observers) {
        return new ZabConfig(id, voters, observers, 1, 5, 10, 2, 4, options.maxDiffEntries());
    }

    // ---------------------------------------------------------------- run

    /** Runs chaos, then heals everything and checks that the ensemble converges with no acknowledged loss. */
    ZabSimulation run() {
        for (Node n : nodes.values()) {
            boot(n);
        }
        scheduleClients();
        scheduleFaults();
        scheduleSnapshots();
        runUntil(options.chaosTime());
        note("heal all");
        healAll();
        runUntil(options.chaosTime() + options.quietTime());
        finalChecks();
        return this;
    }

    private void runUntil(long end) {
        while (!queue.isEmpty() && queue.peek().time <= end) {
            Scheduled s = queue.poll();
            time = s.time;
            steps++;
            handle(s.event);
        }
        time = end;
    }

    private void schedule(long delay, Event e) {
        queue.add(new Scheduled(time + delay, seq++, e));
    }

    private void handle(Event e) {
        switch (e) {
            case Tick t -> {
                Node n = nodes.get(t.node());
                if (n.up() && n.incarnation == t.incarnation()) {
                    execute(n, n.peer.tick());
                    schedule(TICK - 1 + rnd.nextInt(3), new Tick(n.id, n.incarnation));
                }
            }
            case Deliver d -> deliver(d.link());
            case Flush f -> {
                Node n = nodes.get(f.node());
                if (n.up() && n.incarnation == f.incarnation()) {
                    n.disk.flushScheduled = false;
                    if (!n.disk.pending.isEmpty()) {
                        long lastSeq = n.disk.pending.get(n.disk.pending.size() - 1).seq();
                        n.disk.flushPending();
                        execute(n, n.peer.logSynced(lastSeq));
                    }
                }
            }
            case Restart r -> {
                Node n = nodes.get(r.node());
                if (!n.up()) {
                    note("restart " + n.id);
                    boot(n);
                }
            }
            case Timed t -> t.action().run();
        }
    }

    private void boot(Node n) {
        n.incarnation++;
        restoreState(n, n.disk.snapshot); // the driver restores the application from the durable snapshot
        n.serving = false;
        n.pendingReads.clear();
        n.peer = new ZabPeer(n.cfg, n.disk.state()).inject(options.bugs().toArray(InjectedBug[]::new));
        for (Node other : nodes.values()) {
            if (other != n) {
                n.seenGen.put(other.id, gen(n.id, other.id));
            }
        }
        execute(n, n.peer.start());
        schedule(1 + rnd.nextInt(TICK), new Tick(n.id, n.incarnation));
    }

    private void crash(Node n) {
        if (!n.up()) {
            return;
        }
        note("crash " + n.id + " (" + n.peer + ")");
        n.peer = null;
        n.disk.pending.clear(); // not fsynced: lost
        n.disk.flushScheduled = false;
        n.serving = false;
        failPendingOn(n.id);
        for (Node other : nodes.values()) {
            if (other != n) {
                // The peer learns of the dead process through a reset connection (when the link lets it through).
                closePair(n.id, other.id, false, true);
            }
        }
    }

    // ---------------------------------------------------------------- network

    private long gen(long a, long b) {
        return pairGen.getOrDefault(Math.min(a, b) * 1000 + Math.max(a, b), 0L);
    }

    private Link link(long from, long to) {
        return new Link(from, to);
    }

    private void send(Node from, long to, ZabMessage m) {
        long tag = from.seenGen.getOrDefault(to, 0L);
        enqueue(link(from.id, to), new InFlight(time + 1 + rnd.nextInt(2 * TICK), tag, m, false));
    }

    private void enqueue(Link l, InFlight f) {
        ArrayDeque<InFlight> q = links.computeIfAbsent(l, k -> new ArrayDeque<>());
        q.add(f);
        if (q.size() == 1 && !blocked.contains(l) && deliveryScheduled.add(l)) {
            queue.add(new Scheduled(Math.max(time, f.ready()), seq++, new Deliver(l)));
        }
    }

    private void deliver(Link l) {
        deliveryScheduled.remove(l);
        ArrayDeque<InFlight> q = links.get(l);
        if (q == null || q.isEmpty() || blocked.contains(l)) {
            return;
        }
        InFlight f = q.peek();
        if (f.ready() > time) {
            deliveryScheduled.add(l);
            queue.add(new Scheduled(f.ready(), seq++, new Deliver(l)));
            return;
        }
        q.poll();
        if (!q.isEmpty()) {
            deliveryScheduled.add(l);
            queue.add(new Scheduled(Math.max(time, q.peek().ready()), seq++, new Deliver(l)));
        }
        Node to = nodes.get(l.to());
        if (!to.up()) {
            return;
        }
        if (f.marker()) {
            if (to.seenGen.getOrDefault(l.from(), 0L) < f.gen()) {
                to.seenGen.put(l.from(), f.gen());
                execute(to, to.peer.channelDown(l.from()));
            }
            return;
        }
        if (f.gen() != gen(l.from(), l.to()) || to.seenGen.getOrDefault(l.from(), 0L) != f.gen()) {
            return; // sent on a connection that has since been closed
        }
        execute(to, to.peer.receive(l.from(), f.message()));
    }

    /**
     * Close the connection between a and b: in-flight data is lost. {@code closedByA}: a closed it (a knows at once);
     * otherwise the network reset it and both sides learn through a marker. {@code aDead}: only b is told.
     */
    private void closePair(long a, long b, boolean closedByA, boolean aDead) {
        long key = Math.min(a, b) * 1000 + Math.max(a, b);
        long g = pairGen.getOrDefault(key, 0L) + 1;
        pairGen.put(key, g);
        for (Link l : List.of(link(a, b), link(b, a))) {
            ArrayDeque<InFlight> q = links.get(l);
            if (q != null) {
                q.clear();
            }
        }
        if (closedByA) {
            nodes.get(a).seenGen.put(b, g);
        }
        enqueue(link(a, b), new InFlight(time + 1 + rnd.nextInt(TICK), g, null, true));
        if (!closedByA && !aDead) {
            enqueue(link(b, a), new InFlight(time + 1 + rnd.nextInt(TICK), g, null, true));
        }
    }

    private void block(long from, long to) {
        blocked.add(link(from, to));
    }

    private void healAll() {
        List<Link> was = new ArrayList<>(blocked);
        blocked.clear();
        for (Link l : was) {
            ArrayDeque<InFlight> q = links.get(l);
            if (q != null && !q.isEmpty() && deliveryScheduled.add(l)) {
                queue.add(new Scheduled(time, seq++, new Deliver(l)));
            }
        }
        for (Node n : nodes.values()) {
            if (!n.up()) {
                schedule(1 + rnd.nextInt(TICK), new Restart(n.id));
            }
        }
    }

    // ---------------------------------------------------------------- driver: execute actions

    private void execute(Node n, List<ZabAction> actions) {
        for (ZabAction a : actions) {
            if (!n.up()) {
                return;
            }
            switch (a) {
                case Send s -> send(n, s.to(), s.message());
                case CloseChannel c -> closePair(n.id, c.peer(), true, false);
                case AppendLog al -> {
                    n.disk.pending.add(al);
                    if (!n.disk.flushScheduled) {
                        n.disk.flushScheduled = true;
                        schedule(1 + rnd.nextInt(rnd.nextInt(8) == 0 ? 4 * TICK : TICK), new Flush(n.id, n.incarnation));
                    }
                }
                case TruncateLog t -> {
                    n.disk.flushPending();
                    n.disk.durable.removeIf(e -> e.zxid() > t.zxid());
                }
                case InstallSnapshot is -> {
                    List<LogEntry> state = decodeState(is.state());
                    long last = state.isEmpty() ? 0 : state.get(state.size() - 1).zxid();
                    if (last != is.zxid()) {
                        throw violation("server " + n.id + " got a snapshot for " + Zxid.hex(is.zxid())
                                + " whose state ends at " + Zxid.hex(last));
                    }
                    checkCommittedPrefix(n, state);
                    snapshotsInstalled++;
                    n.disk.pending.clear(); // atomic: snapshot in, old log out
                    n.disk.durable.clear();
                    n.disk.snapshot = state;
                    n.disk.snapshotZxid = is.zxid();
                    restoreState(n, state);
                }
                case SendSnapshot ss -> {
                    long last = n.applied.isEmpty() ? 0 : n.applied.get(n.applied.size() - 1).zxid();
                    if (last != ss.zxid()) {
                        throw violation("leader " + n.id + " asked to snapshot at " + Zxid.hex(ss.zxid())
                                + " but its state is at " + Zxid.hex(last));
                    }
                    send(n, ss.to(), new ZabMessage.Snap(ss.zxid(), encodeState(n.applied), ss.entriesAfter(),
                            ss.committedZxid()));
                }
                case CompactLog c -> n.disk.durable.removeIf(e -> e.zxid() <= Math.min(c.zxid(), n.disk.snapshotZxid));
                case PersistAcceptedEpoch p -> {
                    n.disk.flushPending();
                    n.disk.acceptedEpoch = p.epoch();
                }
                case PersistCurrentEpoch p -> {
                    n.disk.flushPending();
                    n.disk.currentEpoch = p.epoch();
                }
                case Apply ap -> apply(n, ap.entry());
                case RoleChanged rc -> {
                    if (rc.state() == ServerState.LOOKING) {
                        elections++;
                    }
                }
                case Established est -> {
                    Long prev = establishedLeader.putIfAbsent(est.epoch(), n.id);
                    note("server " + n.id + " established epoch " + est.epoch());
                    if (prev != null && prev != n.id) {
                        throw violation("two leaders established epoch " + est.epoch() + ": " + prev + " and " + n.id);
                    }
                }
                case ServingChanged sc -> {
                    n.serving = sc.serving();
                    if (sc.serving()) {
                        checkServingHasAllAcknowledged(n);
                    } else {
                        failPendingOn(n.id);
                    }
                }
                case RequestForwarded rf -> {
                    long z = n.peer.propose(rf.data());
                    if (z >= 0) {
                        execute(n, n.peer.drain());
                    }
                }
                case ZabAction.SessionsTouched st -> { }
                case SyncDone sd -> {
                    Long invoked = n.pendingReads.remove(sd.syncId());
                    if (invoked != null) {
                        reads.add(new ClientRead(n.id, n.incarnation, invoked, time, n.register, n.peer.lastAppliedZxid()));
                    }
                }
            }
            checkDisk(n);
        }
    }

    private void apply(Node n, LogEntry e) {
        int i = n.applied.size();
        if (!n.applied.isEmpty() && n.applied.get(i - 1).zxid() >= e.zxid()) {
            throw violation("server " + n.id + " applied " + Zxid.hex(e.zxid()) + " after "
                    + Zxid.hex(n.applied.get(i - 1).zxid()));
        }
        if (i < global.size()) {
            if (!global.get(i).equals(e)) {
                throw violation("server " + n.id + " applied " + e + " at position " + i + " where others applied "
                        + global.get(i));
            }
        } else {
            global.add(e);
            globalIndex.put(e.zxid(), i);
        }
        n.applied.add(e);
        long value = ByteBuffer.wrap(e.data()).getLong();
        n.register = value;
        ClientWrite w = writesByValue.get(value);
        if (w != null && w.node == n.id && w.completeTime < 0 && !w.indeterminate) {
            w.completeTime = time;
            w.completeSeq = opSeq++;
            w.zxid = e.zxid();
        }
    }

    private void restoreState(Node n, List<LogEntry> state) {
        n.applied.clear();
        n.applied.addAll(state);
        n.register = state.isEmpty() ? 0 : ByteBuffer.wrap(state.get(state.size() - 1).data()).getLong();
    }

    /** A snapshot holds committed state only: a prefix of the one global sequence. */
    private void checkCommittedPrefix(Node n, List<LogEntry> state) {
        for (int i = 0; i < state.size(); i++) {
            if (i >= global.size() || !global.get(i).equals(state.get(i))) {
                throw violation("server " + n.id + " installed a snapshot that differs from the applied sequence at "
                        + i + ": " + state.get(i));
            }
        }
    }

    private static byte[] encodeState(List<LogEntry> applied) {
        ByteBuffer b = ByteBuffer.allocate(4 + applied.stream().mapToInt(e -> 12 + e.data().length).sum());
        b.putInt(applied.size());
        for (LogEntry e : applied) {
            b.putLong(e.zxid()).putInt(e.data().length).put(e.data());
        }
        return b.array();
    }

    private static List<LogEntry> decodeState(byte[] state) {
        ByteBuffer b = ByteBuffer.wrap(state);
        int n = b.getInt();
        List<LogEntry> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long zxid = b.getLong();
            byte[] data = new byte[b.getInt()];
            b.get(data);
            out.add(new LogEntry(zxid, data));
        }
        return List.copyOf(out);
    }

    /**
     * A server's driver writes a snapshot of its applied state (durable at once), then compacts the core's log either
     * to the previous snapshot (what the real server does) or, to force SNAPs, to this one.
     */
    private void randomSnapshot() {
        List<Node> up = nodes.values().stream().filter(Node::up).toList();
        if (up.isEmpty()) {
            return;
        }
        Node n = up.get(rnd.nextInt(up.size()));
        long last = n.applied.isEmpty() ? 0 : n.applied.get(n.applied.size() - 1).zxid();
        if (last <= n.disk.snapshotZxid) {
            return;
        }
        long previous = n.disk.snapshotZxid;
        n.disk.snapshot = List.copyOf(n.applied);
        n.disk.snapshotZxid = last;
        note("snapshot " + n.id + " at " + Zxid.hex(last));
        execute(n, n.peer.compact(rnd.nextBoolean() ? previous : last));
    }

    private void scheduleSnapshots() {
        if (!options.snapshots()) {
            return;
        }
        for (long t = 50 + rnd.nextInt(200); t < options.chaosTime() + options.quietTime(); t += 20 + rnd.nextInt(300)) {
            queue.add(new Scheduled(t, seq++, new Timed(this::randomSnapshot)));
        }
    }

    /** A server that starts serving in epoch E has applied every write acknowledged in an earlier epoch. */
    private void checkServingHasAllAcknowledged(Node n) {
        long epoch = n.peer.activeEpoch();
        for (ClientWrite w : writes) {
            if (w.completeTime >= 0 && Zxid.epoch(w.zxid) < epoch) {
                Integer idx = globalIndex.get(w.zxid);
                if (idx == null || idx >= n.applied.size()) {
                    throw violation("server " + n.id + " serves epoch " + epoch + " without acknowledged write "
                            + w.value + " at " + Zxid.hex(w.zxid));
                }
            }
        }
    }

    private void checkDisk(Node n) {
        Disk d = n.disk;
        if (d.currentEpoch > d.acceptedEpoch) {
            throw violation("server " + n.id + " currentEpoch " + d.currentEpoch + " > acceptedEpoch " + d.acceptedEpoch);
        }
    }

    private void failPendingOn(long node) {
        for (ClientWrite w : writes) {
            if (w.node == node && w.completeTime < 0) {
                w.indeterminate = true;
            }
        }
        Node n = nodes.get(node);
        n.pendingReads.clear();
    }

    // ---------------------------------------------------------------- clients and faults

    private void scheduleClients() {
        for (long t = 5; t < options.chaosTime() + options.quietTime() - 500; t += 3 + rnd.nextInt(25)) {
            boolean write = rnd.nextInt(4) != 0;
            long at = t;
            queue.add(new Scheduled(at, seq++, new Timed(write ? this::clientWrite : this::clientRead)));
        }
    }

    private Node randomServing() {
        List<Node> serving = new ArrayList<>();
        for (Node n : nodes.values()) {
            if (n.up() && n.serving) {
                serving.add(n);
            }
        }
        return serving.isEmpty() ? null : serving.get(rnd.nextInt(serving.size()));
    }

    private void clientWrite() {
        Node n = randomServing();
        if (n == null) {
            return;
        }
        long value = nextValue++;
        byte[] data = ByteBuffer.allocate(8).putLong(value).array();
        ClientWrite w = new ClientWrite(value, n.id, time, opSeq++);
        writes.add(w);
        writesByValue.put(value, w);
        if (n.peer.state() == ServerState.LEADING) {
            if (n.peer.propose(data) < 0) {
                w.indeterminate = true;
            }
        } else if (!n.peer.forward(data)) {
            w.indeterminate = true;
        }
        execute(n, n.peer.drain());
    }

    private void clientRead() {
        Node n = randomServing();
        if (n == null) {
            return;
        }
        long id = nextSyncId++;
        n.pendingReads.put(id, time);
        if (!n.peer.sync(id)) {
            n.pendingReads.remove(id);
        }
        execute(n, n.peer.drain());
    }

    private void scheduleFaults() {
        if (options.faultRate() <= 0) {
            return;
        }
        long mean = (long) (250 / options.faultRate());
        for (long t = 100 + rnd.nextInt((int) mean); t < options.chaosTime(); t += 1 + rnd.nextInt((int) (2 * mean))) {
            queue.add(new Scheduled(t, seq++, new Timed(this::randomFault)));
        }
    }

    private Node leader() {
        for (Node n : nodes.values()) {
            if (n.up() && n.peer.state() == ServerState.LEADING) {
                return n;
            }
        }
        return null;
    }

    private void randomFault() {
        faults++;
        List<Long> ids = new ArrayList<>(nodes.keySet());
        int kind = rnd.nextInt(options.crashes() ? 9 : 5);
        long heal = 50 + rnd.nextInt(600);
        switch (kind) {
            case 0 -> { // drop one connection
                long a = ids.get(rnd.nextInt(ids.size()));
                long b = ids.get(rnd.nextInt(ids.size()));
                if (a != b) {
                    note("drop connection " + a + "-" + b);
                    closePair(a, b, false, false);
                }
            }
            case 1 -> { // symmetric partition into two sides
                Set<Long> side = new TreeSet<>();
                for (long id : ids) {
                    if (rnd.nextBoolean()) {
                        side.add(id);
                    }
                }
                note("partition " + side + " | rest for " + heal);
                List<Link> cut = new ArrayList<>();
                for (long a : ids) {
                    for (long b : ids) {
                        if (a != b && side.contains(a) != side.contains(b)) {
                            cut.add(link(a, b));
                        }
                    }
                }
                cutFor(cut, heal);
            }
            case 2 -> { // asymmetric: one direction between two servers
                long a = ids.get(rnd.nextInt(ids.size()));
                long b = ids.get(rnd.nextInt(ids.size()));
                if (a != b) {
                    note("one-way cut " + a + "->" + b + " for " + heal);
                    cutFor(List.of(link(a, b)), heal);
                }
            }
            case 3 -> { // isolate the leader
                Node l = leader();
                if (l != null) {
                    note("isolate leader " + l.id + " for " + heal);
                    List<Link> cut = new ArrayList<>();
                    for (long b : ids) {
                        if (b != l.id) {
                            cut.add(link(l.id, b));
                            cut.add(link(b, l.id));
                        }
                    }
                    cutFor(cut, heal);
                }
            }
            case 4 -> { // slow disk burst: nothing to do here, flush delays are random already; drop a random link instead
                long a = ids.get(rnd.nextInt(ids.size()));
                note("isolate " + a + " inbound for " + heal);
                List<Link> cut = new ArrayList<>();
                for (long b : ids) {
                    if (b != a) {
                        cut.add(link(b, a));
                    }
                }
                cutFor(cut, heal);
            }
            case 5 -> { // crash a random server
                Node n = nodes.get(ids.get(rnd.nextInt(ids.size())));
                crash(n);
                schedule(heal, new Restart(n.id));
            }
            case 6 -> { // crash the leader
                Node l = leader();
                if (l != null) {
                    crash(l);
                    schedule(heal, new Restart(l.id));
                }
            }
            case 7 -> { // power failure: every server dies at once; they come back one by one
                note("power failure");
                for (Node n : nodes.values()) {
                    crash(n);
                    schedule(1 + rnd.nextInt((int) heal), new Restart(n.id));
                }
            }
            default -> { // the leader and one other server die together
                Node l = leader();
                Node other = nodes.get(ids.get(rnd.nextInt(ids.size())));
                if (l != null) {
                    crash(l);
                    crash(other);
                    schedule(heal, new Restart(l.id));
                    schedule(1 + rnd.nextInt((int) heal), new Restart(other.id));
                }
            }
        }
    }

    private void cutFor(List<Link> cut, long duration) {
        List<Link> added = new ArrayList<>();
        for (Link l : cut) {
            if (blocked.add(l)) {
                added.add(l);
            }
        }
        schedule(duration, new Timed(() -> {
            for (Link l : added) {
                if (blocked.remove(l)) {
                    ArrayDeque<InFlight> q = links.get(l);
                    if (q != null && !q.isEmpty() && deliveryScheduled.add(l)) {
                        queue.add(new Scheduled(time, seq++, new Deliver(l)));
                    }
                }
            }
        }));
    }

    // ---------------------------------------------------------------- final checks

    private void finalChecks() {
        List<Node> voters = new ArrayList<>();
        for (Node n : nodes.values()) {
            if (!n.up() || !n.serving) {
                throw violation("after healing, server " + n.id + " is not serving: "
                        + (n.up() ? n.peer.toString() : "down"));
            }
            voters.add(n);
        }
        Node l = leader();
        if (l == null) {
            throw violation("after healing there is no leader");
        }
        // Liveness: one more write commits and reaches everyone.
        long value = nextValue++;
        ClientWrite w = new ClientWrite(value, l.id, time, opSeq++);
        writes.add(w);
        writesByValue.put(value, w);
        if (l.peer.propose(ByteBuffer.allocate(8).putLong(value).array()) < 0) {
            throw violation("the leader refused the final write");
        }
        execute(l, l.peer.drain());
        runUntil(time + 40 * TICK);
        if (w.completeTime < 0) {
            throw violation("the final write did not commit: " + l.peer);
        }
        for (Node n : nodes.values()) {
            if (n.applied.size() != global.size()) {
                throw violation("server " + n.id + " applied " + n.applied.size() + " of " + global.size()
                        + " transactions after quiescence: " + n.peer);
            }
        }
        for (ClientWrite cw : writes) {
            if (cw.completeTime >= 0) {
                Integer idx = globalIndex.get(cw.zxid);
                if (idx == null) {
                    throw violation("acknowledged write " + cw.value + " at " + Zxid.hex(cw.zxid) + " was lost");
                }
            }
        }
        checkWritesLinearizable();
        checkReadsSeeCommittedPrefixes();
        for (Node n : nodes.values()) {
            finalReads.add(new long[] {n.register, n.applied.size()});
        }
    }

    /**
     * The run's client history as the checker reads it (model zk-versioned-register, one process per operation):
     * an acknowledged write is setData that returned version k, i.e. cas [k-1, v] that succeeded; a write whose
     * outcome the client never learned is an info write; after quiescence every server is read.
     */
    List<io.faultline.checker.history.Op> history() {
        record Ev(long seq, io.faultline.checker.history.OpType type, long process, String f, Object value) {}
        List<Ev> evs = new ArrayList<>();
        Map<Long, Long> appliedVersion = new HashMap<>();
        for (int i = 0; i < global.size(); i++) {
            appliedVersion.put(ByteBuffer.wrap(global.get(i).data()).getLong(), (long) i + 1);
        }
        long process = 0;
        for (ClientWrite w : writes) {
            process++;
            if (w.completeTime >= 0) {
                long version = globalIndex.get(w.zxid) + 1;
                List<Object> cas = List.of(version - 1, w.value);
                evs.add(new Ev(w.invokeSeq, io.faultline.checker.history.OpType.INVOKE, process, "cas", cas));
                evs.add(new Ev(w.completeSeq, io.faultline.checker.history.OpType.OK, process, "cas", cas));
            } else if (appliedVersion.containsKey(w.value)) {
                // Unknown outcome for the client, but it did take effect (as which version, the servers know).
                List<Object> cas = List.of(appliedVersion.get(w.value) - 1, w.value);
                evs.add(new Ev(w.invokeSeq, io.faultline.checker.history.OpType.INVOKE, process, "cas", cas));
                evs.add(new Ev(Long.MAX_VALUE / 2 + process, io.faultline.checker.history.OpType.INFO, process, "cas",
                        cas));
            } else {
                // Never applied anywhere, and after quiescence it never will be: the write failed.
                evs.add(new Ev(w.invokeSeq, io.faultline.checker.history.OpType.INVOKE, process, "write", w.value));
                evs.add(new Ev(w.invokeSeq, io.faultline.checker.history.OpType.FAIL, process, "write", w.value));
            }
        }
        long seq = Long.MAX_VALUE / 2 - 10_000;
        for (long[] r : finalReads) {
            process++;
            evs.add(new Ev(seq++, io.faultline.checker.history.OpType.INVOKE, process, "read", null));
            evs.add(new Ev(seq++, io.faultline.checker.history.OpType.OK, process, "read", List.of(r[0], r[1])));
        }
        evs.sort((a, b) -> a.seq() != b.seq() ? Long.compare(a.seq(), b.seq())
                : Boolean.compare(a.type() != io.faultline.checker.history.OpType.INVOKE,
                        b.type() != io.faultline.checker.history.OpType.INVOKE));
        List<io.faultline.checker.history.Op> ops = new ArrayList<>();
        for (Ev e : evs) {
            ops.add(io.faultline.checker.history.Op.of(ops.size(), ops.size(), e.type(), e.process(), e.f(), e.value()));
        }
        return ops;
    }

    /**
     * Writes are linearizable iff their commit order (zxid) respects real time: a write acknowledged before another
     * was invoked has the smaller zxid. The zxid order is the one every replica applies (checked above).
     */
    void checkWritesLinearizable() {
        List<ClientWrite> done = new ArrayList<>();
        for (ClientWrite w : writes) {
            if (w.completeTime >= 0) {
                done.add(w);
            }
        }
        List<ClientWrite> byComplete = new ArrayList<>(done);
        byComplete.sort((a, b) -> Long.compare(a.completeTime, b.completeTime));
        List<ClientWrite> byInvoke = new ArrayList<>(done);
        byInvoke.sort((a, b) -> Long.compare(a.invokeTime, b.invokeTime));
        long maxZxidCompleted = -1;
        ClientWrite witness = null;
        int j = 0;
        for (ClientWrite b : byInvoke) {
            while (j < byComplete.size() && byComplete.get(j).completeTime < b.invokeTime) {
                if (byComplete.get(j).zxid > maxZxidCompleted) {
                    maxZxidCompleted = byComplete.get(j).zxid;
                    witness = byComplete.get(j);
                }
                j++;
            }
            if (witness != null && b.zxid <= maxZxidCompleted) {
                throw violation("write " + b.value + " invoked at " + b.invokeTime + " got zxid " + Zxid.hex(b.zxid)
                        + " although write " + witness.value + " with zxid " + Zxid.hex(witness.zxid)
                        + " completed earlier at " + witness.completeTime);
            }
        }
    }

    /**
     * A synced read only ever sees a committed prefix, and a server's reads within one incarnation never go back.
     * (Not checked: that a sync reflects every write acknowledged before it; ZooKeeper's sync is not a quorum
     * operation, and a deposed leader that has not noticed yet may answer it.)
     */
    private void checkReadsSeeCommittedPrefixes() {
        Map<Long, ClientRead> last = new HashMap<>();
        for (ClientRead r : reads) {
            if (r.appliedZxid() != 0 && !globalIndex.containsKey(r.appliedZxid())) {
                throw violation("read on server " + r.node() + " saw uncommitted zxid " + Zxid.hex(r.appliedZxid()));
            }
            ClientRead prev = last.put(r.node(), r);
            if (prev != null && prev.incarnation() == r.incarnation() && r.appliedZxid() < prev.appliedZxid()) {
                throw violation("server " + r.node() + " read " + Zxid.hex(r.appliedZxid()) + " after "
                        + Zxid.hex(prev.appliedZxid()));
            }
        }
    }

    // ---------------------------------------------------------------- diagnostics

    List<LogEntry> globalSequence() {
        return List.copyOf(global);
    }

    int faults() {
        return faults;
    }

    long acknowledgedWrites() {
        return writes.stream().filter(w -> w.completeTime >= 0).count();
    }

    private void note(String s) {
        trace.add(time + ": " + s);
        if (trace.size() > 400) {
            trace.remove(0);
        }
    }

    private InvariantViolation violation(String what) {
        StringBuilder sb = new StringBuilder();
        sb.append("seed ").append(seed).append(" at time ").append(time).append(": ").append(what).append('\n');
        for (Node n : nodes.values()) {
            sb.append("  ").append(n.up() ? n.peer.toString() : "server " + n.id + " down").append(" disk log ")
                    .append(n.disk.durable.size()).append(" epochs ").append(n.disk.currentEpoch).append('/')
                    .append(n.disk.acceptedEpoch).append('\n');
        }
        sb.append("  last events:\n");
        for (String t : trace.subList(Math.max(0, trace.size() - 40), trace.size())) {
            sb.append("    ").append(t).append('\n');
        }
        return new InvariantViolation(sb.toString());
    }
}
