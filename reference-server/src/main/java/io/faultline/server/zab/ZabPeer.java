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
import io.faultline.server.zab.ZabMessage.Ack;
import io.faultline.server.zab.ZabMessage.AckEpoch;
import io.faultline.server.zab.ZabMessage.AckNewLeader;
import io.faultline.server.zab.ZabMessage.Commit;
import io.faultline.server.zab.ZabMessage.Diff;
import io.faultline.server.zab.ZabMessage.FollowerInfo;
import io.faultline.server.zab.ZabMessage.Inform;
import io.faultline.server.zab.ZabMessage.LeaderInfo;
import io.faultline.server.zab.ZabMessage.NewLeader;
import io.faultline.server.zab.ZabMessage.Notification;
import io.faultline.server.zab.ZabMessage.Ping;
import io.faultline.server.zab.ZabMessage.PingAck;
import io.faultline.server.zab.ZabMessage.Proposal;
import io.faultline.server.zab.ZabMessage.Request;
import io.faultline.server.zab.ZabMessage.Snap;
import io.faultline.server.zab.ZabMessage.SyncReply;
import io.faultline.server.zab.ZabMessage.SyncRequest;
import io.faultline.server.zab.ZabMessage.Trunc;
import io.faultline.server.zab.ZabMessage.UpToDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The ZAB protocol of one server as a deterministic state machine: no I/O, no threads, no clock.
 * Every input method returns the actions the driver must execute, in order (see {@link ZabAction}).
 *
 * <p>Phases follow ZooKeeper 3.9: FastLeaderElection, then discovery (FOLLOWERINFO / LEADERINFO / ACKEPOCH),
 * synchronisation (DIFF | TRUNC+DIFF | SNAP, NEWLEADER, ACK, UPTODATE) and broadcast (PROPOSAL / ACK / COMMIT,
 * INFORM to observers). Only committed transactions are ever applied, so a server that loses leadership never
 * keeps uncommitted state in memory (ZOOKEEPER-2845).
 *
 * <p>Not thread-safe: a driver calls it from one thread.
 */
public final class ZabPeer {

    /**
     * Durable state a peer starts from: what survived on disk. {@code snapshotZxid} is the zxid of the durable
     * snapshot the driver restored the application's state from (0: none, the state is empty); {@code log} holds the
     * logged entries after it (earlier ones are ignored: the snapshot covers them).
     */
    public record DurableState(long acceptedEpoch, long currentEpoch, long snapshotZxid, List<LogEntry> log) {
        public static final DurableState EMPTY = new DurableState(0, 0, 0, List.of());

        public DurableState(long acceptedEpoch, long currentEpoch, List<LogEntry> log) {
            this(acceptedEpoch, currentEpoch, 0, log);
        }
    }

    private enum LearnerPhase { DISCOVERY, SYNC, BROADCAST }

    private enum LeaderPhase { DISCOVERY, EPOCH_ACK, SYNC, BROADCAST }

    /** The leader's view of one connected learner (ZooKeeper's LearnerHandler). */
    private static final class Learner {
        final long sid;
        final boolean observer;
        final long acceptedEpoch;
        AckEpoch ackEpoch;
        boolean synced; // DIFF/SNAP sent: the learner is in the forwarding set
        boolean newLeaderAcked;
        long acked; // every proposal up to here is durable on the learner
        long lastHeard;
        long phaseStart;

        Learner(long sid, boolean observer, long acceptedEpoch, long now) {
            this.sid = sid;
            this.observer = observer;
            this.acceptedEpoch = acceptedEpoch;
            this.lastHeard = now;
            this.phaseStart = now;
        }
    }

    private record ParkedSync(long syncId, long requester, long target) {}

    private static final long LOCAL = -1;

    private final EnumSet<InjectedBug> bugs = EnumSet.noneOf(InjectedBug.class);

    private final ZabConfig cfg;
    private final long myId;
    private final boolean observer;
    private final int quorum;
    private final Set<Long> allServers;
    private final List<Long> otherServers; // sorted: deterministic send order

    // Mirror of the durable state (the log includes appends not yet known to be durable).
    private long acceptedEpoch;
    private long currentEpoch;
    private final ArrayList<LogEntry> log = new ArrayList<>(); // entries after logBase
    /**
     * Everything up to here is committed and covered by a snapshot (compacted out of {@link #log}, or installed by
     * SNAP); a sync that needs older entries is a SNAP. Invariant: logBase &lt;= lastApplied.
     */
    private long logBase;
    private long durableZxid;
    private long nextAppendSeq = 1;
    private final TreeMap<Long, Long> appendsInFlight = new TreeMap<>(); // seq -> last zxid of that append

    private long lastApplied;
    private long now;
    private ServerState state = ServerState.LOOKING;
    private boolean serving;
    private List<ZabAction> out = new ArrayList<>();
    private boolean started;

    // Election.
    private long round;
    private Vote vote = Vote.NONE;
    private final Map<Long, Notification> recvset = new TreeMap<>();
    private final Map<Long, Notification> outOfElection = new TreeMap<>();
    private long finalizeAt = -1;
    private long nextResendAt;
    private final Map<Long, FollowerInfo> parkedFollowerInfos = new TreeMap<>();

    // Learner (follower or observer).
    private long leaderId = -1;
    private LearnerPhase learnerPhase;
    private long syncEpoch = -1;
    private long lastHeardFromLeader;
    private long knownCommitted;
    private boolean newLeaderAcked;
    private long lastAckSent;

    // Leader.
    private LeaderPhase leaderPhase;
    private long phaseStart;
    private long newEpoch = -1;
    private final Map<Long, Learner> learners = new TreeMap<>();
    private final Set<Long> epochAcceptedBy = new TreeSet<>();
    private long lastProposed;
    private long lastCommitted;
    private long initialHistoryEnd;
    private long lastPingTick;
    private final List<ParkedSync> parkedSyncs = new ArrayList<>();

    public ZabPeer(ZabConfig cfg, DurableState durable) {
        this.cfg = cfg;
        this.myId = cfg.myId();
        this.observer = cfg.isObserver();
        this.quorum = cfg.quorum();
        this.allServers = Set.copyOf(cfg.allServers());
        this.otherServers = cfg.allServers().stream().filter(s -> s != cfg.myId()).toList();
        this.acceptedEpoch = durable.acceptedEpoch();
        this.currentEpoch = durable.currentEpoch();
        this.logBase = durable.snapshotZxid();
        this.lastApplied = logBase; // the driver restored its state from that snapshot
        long prev = 0;
        for (LogEntry e : durable.log()) {
            if (e.zxid() <= logBase) {
                continue;
            }
            if (e.zxid() <= prev) {
                throw new IllegalArgumentException("log zxids not increasing at " + Zxid.hex(e.zxid()));
            }
            prev = e.zxid();
            log.add(e);
        }
        this.durableZxid = lastLoggedZxid();
        if (acceptedEpoch < currentEpoch) {
            // ZOOKEEPER-2307 style: repairable, acceptedEpoch is only a promise; never below currentEpoch.
            acceptedEpoch = currentEpoch;
        }
    }

    /** Give this peer deliberate bugs (tests and fault-injection experiments only). */
    public ZabPeer inject(InjectedBug... injected) {
        bugs.addAll(List.of(injected));
        return this;
    }

    // ---------------------------------------------------------------- inputs

    /** Start: enter LOOKING and broadcast the first vote. */
    public List<ZabAction> start() {
        if (!started) {
            started = true;
            becomeLooking();
        }
        return drain();
    }

    /** Advance the core's clock by one tick. */
    public List<ZabAction> tick() {
        now++;
        switch (state) {
            case LOOKING -> lookingTick();
            case FOLLOWING, OBSERVING -> learnerTick();
            case LEADING -> leaderTick();
        }
        return drain();
    }

    public List<ZabAction> receive(long from, ZabMessage m) {
        if (from == myId || !allServers.contains(from)) {
            return drain();
        }
        switch (m) {
            case Notification n -> onNotification(from, n);
            case FollowerInfo fi -> onFollowerInfo(from, fi);
            case AckEpoch a -> leaderOnly(from, () -> onAckEpoch(from, a));
            case AckNewLeader a -> leaderOnly(from, () -> onAckNewLeader(from, a));
            case Ack a -> leaderOnly(from, () -> onAck(from, a));
            case PingAck p -> leaderOnly(from, () -> { }); // liveness only: leaderOnly noted lastHeard
            case Request r -> leaderOnly(from, () -> onRequest(from, r));
            case SyncRequest s -> leaderOnly(from, () -> onSyncRequest(from, s));
            case ZabMessage.Touches t -> leaderOnly(from, () -> {
                if (leaderPhase == LeaderPhase.BROADCAST) {
                    out.add(new ZabAction.SessionsTouched(from, t.sessionIds()));
                }
            });
            case LeaderInfo li -> learnerOnly(from, () -> onLeaderInfo(li));
            case Trunc t -> learnerOnly(from, () -> onTrunc(t));
            case Diff d -> learnerOnly(from, () -> onDiff(d));
            case Snap s -> learnerOnly(from, () -> onSnap(s));
            case NewLeader nl -> learnerOnly(from, () -> onNewLeader(nl));
            case UpToDate u -> learnerOnly(from, () -> onUpToDate(u));
            case Proposal p -> learnerOnly(from, () -> onProposal(p));
            case Commit c -> learnerOnly(from, () -> onCommit(c));
            case Inform i -> learnerOnly(from, () -> onInform(i));
            case Ping p -> learnerOnly(from, () -> send(leaderId, new PingAck()));
            case SyncReply s -> learnerOnly(from, () -> out.add(new SyncDone(s.syncId())));
        }
        return drain();
    }

    /** The connection to peer broke (or was closed by it): messages in flight on it are lost. */
    public List<ZabAction> channelDown(long peer) {
        parkedFollowerInfos.remove(peer);
        if ((state == ServerState.FOLLOWING || state == ServerState.OBSERVING) && peer == leaderId) {
            becomeLooking();
        } else if (state == ServerState.LEADING) {
            Learner h = learners.remove(peer);
            if (h != null) {
                parkedSyncs.removeIf(p -> p.requester == peer);
            }
        }
        return drain();
    }

    /**
     * An election connection to peer came up. Votes sent while it was down were lost: a LOOKING server tells the
     * peer its vote now instead of at the next resend (the initial election would otherwise wait for that).
     */
    public List<ZabAction> electionChannelUp(long peer) {
        if (started && state == ServerState.LOOKING && allServers.contains(peer) && peer != myId) {
            send(peer, new Notification(state, vote, round));
        }
        return drain();
    }

    /** Every append up to and including seq is durable. */
    public List<ZabAction> logSynced(long seq) {
        Iterator<Map.Entry<Long, Long>> it = appendsInFlight.entrySet().iterator();
        boolean advanced = false;
        while (it.hasNext()) {
            Map.Entry<Long, Long> e = it.next();
            if (e.getKey() > seq) {
                break;
            }
            durableZxid = Math.max(durableZxid, e.getValue());
            it.remove();
            advanced = true;
        }
        if (advanced) {
            onDurable();
        }
        return drain();
    }

    /**
     * The driver holds a durable snapshot covering every transaction up to zxid: entries up to
     * min(zxid, lastApplied) leave the in-memory log (a learner that needs them gets a SNAP) and a
     * {@link CompactLog} tells the driver it may delete them from disk.
     */
    public List<ZabAction> compact(long zxid) {
        long upTo = Math.min(zxid, lastApplied);
        if (upTo > logBase) {
            log.subList(0, indexAfter(upTo)).clear();
            logBase = upTo;
            out.add(new CompactLog(upTo));
        }
        return drain();
    }

    /**
     * Leader only: propose a transaction. Returns its zxid, or -1 if this server is not an established leader
     * (then no actions are produced). The actions are available from {@link #drain()}.
     */
    public long propose(byte[] data) {
        if (state != ServerState.LEADING || leaderPhase != LeaderPhase.BROADCAST) {
            return -1;
        }
        long zxid = Zxid.epoch(lastProposed) == newEpoch ? lastProposed + 1 : Zxid.make(newEpoch, 1);
        if (Zxid.counter(zxid) >= Zxid.MAX_COUNTER) {
            // ZOOKEEPER-1277: never wrap the counter inside an epoch; force a new epoch instead.
            becomeLooking();
            return -1;
        }
        LogEntry entry = new LogEntry(zxid, data);
        appendLog(List.of(entry));
        lastProposed = zxid;
        for (Learner h : learners.values()) {
            if (h.synced && !h.observer) {
                send(h.sid, new Proposal(entry));
            }
        }
        return zxid;
    }

    /** The zxid the next {@link #propose} will get, or -1 if this server cannot propose now. */
    public long nextZxid() {
        if (state != ServerState.LEADING || leaderPhase != LeaderPhase.BROADCAST) {
            return -1;
        }
        return Zxid.epoch(lastProposed) == newEpoch ? lastProposed + 1 : Zxid.make(newEpoch, 1);
    }

    /** Learner only: forward a client write to the leader. False if this server is not a serving learner. */
    public boolean forward(byte[] request) {
        if ((state == ServerState.FOLLOWING || state == ServerState.OBSERVING) && learnerPhase == LearnerPhase.BROADCAST) {
            send(leaderId, new Request(request));
            return true;
        }
        return false;
    }

    /** Learner: report client sessions alive here to the leader. False if not a serving learner. */
    public boolean touchSessions(long[] sessionIds) {
        if ((state == ServerState.FOLLOWING || state == ServerState.OBSERVING) && learnerPhase == LearnerPhase.BROADCAST) {
            send(leaderId, new ZabMessage.Touches(sessionIds.clone()));
            return true;
        }
        return false;
    }

    /**
     * sync(): a {@link SyncDone} action follows once this server has applied everything the leader committed
     * before it handled the sync. False if this server is not serving (then nothing will follow).
     */
    public boolean sync(long syncId) {
        if (state == ServerState.LEADING && leaderPhase == LeaderPhase.BROADCAST) {
            if (lastCommitted >= lastProposed) {
                out.add(new SyncDone(syncId));
            } else {
                parkedSyncs.add(new ParkedSync(syncId, LOCAL, lastProposed));
            }
            return true;
        }
        if ((state == ServerState.FOLLOWING || state == ServerState.OBSERVING) && learnerPhase == LearnerPhase.BROADCAST) {
            send(leaderId, new SyncRequest(syncId));
            return true;
        }
        return false;
    }

    /** Actions produced by {@link #propose}, {@link #forward} and {@link #sync}. */
    public List<ZabAction> drain() {
        List<ZabAction> result = out;
        out = new ArrayList<>();
        return result;
    }

    // ---------------------------------------------------------------- queries

    public long myId() {
        return myId;
    }

    public ServerState state() {
        return state;
    }

    public boolean isServing() {
        return serving;
    }

    /** The leader this server follows or is, -1 while LOOKING. */
    public long leaderId() {
        return switch (state) {
            case LEADING -> myId;
            case FOLLOWING, OBSERVING -> leaderId;
            case LOOKING -> -1;
        };
    }

    public long acceptedEpoch() {
        return acceptedEpoch;
    }

    public long currentEpoch() {
        return currentEpoch;
    }

    public long lastLoggedZxid() {
        return log.isEmpty() ? logBase : log.get(log.size() - 1).zxid();
    }

    /** Entries up to here are compacted into a snapshot (not in the in-memory log). */
    public long logBase() {
        return logBase;
    }

    public long durableZxid() {
        return durableZxid;
    }

    public long lastAppliedZxid() {
        return lastApplied;
    }

    /** The epoch this server leads or follows (0 while LOOKING). */
    public long activeEpoch() {
        return switch (state) {
            case LEADING -> Math.max(newEpoch, 0);
            case FOLLOWING, OBSERVING -> Math.max(syncEpoch, 0);
            case LOOKING -> 0;
        };
    }

    public long electionRound() {
        return round;
    }

    public Vote currentVote() {
        return vote;
    }

    /** A copy of the in-memory log (the entries after {@link #logBase()}). */
    public List<LogEntry> logSnapshot() {
        return List.copyOf(log);
    }

    /** Learners that are synced with this leader (for mntr's zk_synced_followers). */
    public int syncedFollowers() {
        if (state != ServerState.LEADING) {
            return 0;
        }
        int n = 0;
        for (Learner h : learners.values()) {
            if (h.newLeaderAcked && !h.observer) {
                n++;
            }
        }
        return n;
    }

    public int learnerCount() {
        return state == ServerState.LEADING ? learners.size() : 0;
    }

    public long now() {
        return now;
    }

    // ---------------------------------------------------------------- election

    private void becomeLooking() {
        leaveRole();
        state = ServerState.LOOKING;
        out.add(new RoleChanged(state, -1));
        round++;
        vote = selfVote();
        recvset.clear();
        outOfElection.clear();
        finalizeAt = -1;
        if (!observer) {
            recvset.put(myId, new Notification(ServerState.LOOKING, vote, round));
        }
        broadcastVote();
        nextResendAt = now + cfg.electionResendTicks();
        maybeFinalize(); // a one-voter ensemble decides at once
    }

    private Vote selfVote() {
        return observer ? Vote.NONE : new Vote(myId, lastLoggedZxid(), currentEpoch);
    }

    private void broadcastVote() {
        Notification n = new Notification(state, vote, round);
        for (long peer : otherServers) {
            send(peer, n);
        }
    }

    private void lookingTick() {
        if (finalizeAt >= 0 && now >= finalizeAt) {
            finalizeAt = -1;
            if (agreeing(recvset, vote, true) >= quorum && vote.leader() >= 0) {
                decide(vote);
                return;
            }
        }
        if (now >= nextResendAt) {
            broadcastVote();
            nextResendAt = now + cfg.electionResendTicks();
        }
    }

    private void onNotification(long from, Notification n) {
        boolean fromVoter = cfg.voters().contains(from);
        if (state != ServerState.LOOKING) {
            if (n.state() == ServerState.LOOKING) {
                send(from, new Notification(state, vote, round));
            }
            return;
        }
        if (!fromVoter) {
            // Observers' votes never count; tell them what we think.
            send(from, new Notification(state, vote, round));
            return;
        }
        if (n.vote().leader() >= 0 && !cfg.voters().contains(n.vote().leader())) {
            return; // a candidate that cannot vote never wins
        }
        if (n.state() == ServerState.LOOKING) {
            if (n.round() > round) {
                round = n.round();
                recvset.clear();
                Vote mine = selfVote();
                vote = beats(n.vote(), mine) ? n.vote() : mine;
                finalizeAt = -1;
                broadcastVote();
            } else if (n.round() < round) {
                send(from, new Notification(state, vote, round));
                return;
            } else if (beats(n.vote(), vote)) {
                vote = n.vote();
                finalizeAt = -1;
                broadcastVote();
            } else if (!n.vote().equals(vote)) {
                // Ours is better: tell the sender now. It may have sent its vote while we were not LOOKING yet (then
                // we answered with our old role's vote); without this it learns ours only at our next resend.
                send(from, new Notification(state, vote, round));
            }
            recvset.put(from, n);
            if (!observer) {
                recvset.put(myId, new Notification(ServerState.LOOKING, vote, round));
            }
            maybeFinalize();
            return;
        }
        // Someone already decided (FOLLOWING or LEADING).
        if (n.round() == round) {
            recvset.put(from, n);
            if (agreeing(recvset, n.vote(), false) >= quorum && checkLeader(recvset, n.vote().leader(), n.round())) {
                decide(n.vote());
                return;
            }
        }
        outOfElection.put(from, n);
        if (agreeing(outOfElection, n.vote(), false) >= quorum
                && checkLeader(outOfElection, n.vote().leader(), n.round())) {
            round = n.round();
            decide(n.vote());
        }
    }

    private boolean beats(Vote a, Vote b) {
        if (bugs.contains(InjectedBug.ELECT_BY_SERVER_ID) && a.leader() >= 0 && b.leader() >= 0) {
            return a.leader() > b.leader();
        }
        return a.beats(b);
    }

    private void maybeFinalize() {
        if (vote.leader() >= 0 && agreeing(recvset, vote, true) == cfg.voters().size()) {
            decide(vote); // every voter agrees: no better vote can come, so finalizeWait would only add latency
            return;
        }
        if (vote.leader() >= 0 && agreeing(recvset, vote, true) >= quorum) {
            if (finalizeAt < 0) {
                finalizeAt = now + cfg.finalizeWaitTicks();
                if (cfg.finalizeWaitTicks() == 0) {
                    finalizeAt = -1;
                    decide(vote);
                }
            }
        } else {
            finalizeAt = -1;
        }
    }

    /** Number of voters whose vote equals v: fully while everyone looks, by (leader, epoch) otherwise. */
    private int agreeing(Map<Long, Notification> votes, Vote v, boolean full) {
        int count = 0;
        for (Map.Entry<Long, Notification> e : votes.entrySet()) {
            if (!cfg.voters().contains(e.getKey())) {
                continue;
            }
            Vote w = e.getValue().vote();
            boolean same = full ? w.equals(v) : w.leader() == v.leader() && w.peerEpoch() == v.peerEpoch();
            if (same) {
                count++;
            }
        }
        return count;
    }

    /** FLE checkLeader: the proposed leader must itself say it leads, or be me in my own round. */
    private boolean checkLeader(Map<Long, Notification> votes, long leader, long electionRound) {
        if (leader < 0) {
            return false;
        }
        if (leader != myId) {
            Notification l = votes.get(leader);
            return l != null && l.state() == ServerState.LEADING;
        }
        return round == electionRound && !observer;
    }

    private void decide(Vote v) {
        finalizeAt = -1;
        vote = v;
        if (v.leader() == myId) {
            becomeLeader();
        } else {
            becomeLearner(v.leader());
        }
    }

    private void leaveRole() {
        setServing(false);
        if ((state == ServerState.FOLLOWING || state == ServerState.OBSERVING) && leaderId >= 0) {
            out.add(new CloseChannel(leaderId));
        }
        if (state == ServerState.LEADING) {
            for (long sid : learners.keySet()) {
                out.add(new CloseChannel(sid));
            }
        }
        for (long sid : parkedFollowerInfos.keySet()) {
            out.add(new CloseChannel(sid));
        }
        parkedFollowerInfos.clear();
        learners.clear();
        epochAcceptedBy.clear();
        parkedSyncs.clear();
        leaderPhase = null;
        learnerPhase = null;
        leaderId = -1;
        newEpoch = -1;
        syncEpoch = -1;
        newLeaderAcked = false;
    }

    private void setServing(boolean s) {
        if (serving != s) {
            serving = s;
            out.add(new ServingChanged(s));
        }
    }

    // ---------------------------------------------------------------- learner

    private void becomeLearner(long leader) {
        state = observer ? ServerState.OBSERVING : ServerState.FOLLOWING;
        leaderId = leader;
        learnerPhase = LearnerPhase.DISCOVERY;
        lastHeardFromLeader = now;
        syncEpoch = -1;
        newLeaderAcked = false;
        knownCommitted = lastApplied;
        out.add(new RoleChanged(state, leader));
        for (long sid : parkedFollowerInfos.keySet()) {
            out.add(new CloseChannel(sid));
        }
        parkedFollowerInfos.clear();
        send(leader, new FollowerInfo(acceptedEpoch, observer));
    }

    private void learnerOnly(long from, Runnable handler) {
        if ((state == ServerState.FOLLOWING || state == ServerState.OBSERVING) && from == leaderId) {
            lastHeardFromLeader = now;
            handler.run();
        } else {
            // A leader that we do not follow is talking to us: make it notice.
            out.add(new CloseChannel(from));
        }
    }

    private void learnerTick() {
        int limit = learnerPhase == LearnerPhase.BROADCAST ? cfg.syncLimitTicks() : cfg.initLimitTicks();
        if (now - lastHeardFromLeader > limit) {
            becomeLooking();
        }
    }

    private void onLeaderInfo(LeaderInfo li) {
        if (learnerPhase != LearnerPhase.DISCOVERY) {
            return;
        }
        long e = li.newEpoch();
        if (e < acceptedEpoch) {
            becomeLooking();
            return;
        }
        boolean fresh = e > acceptedEpoch;
        acceptedEpoch = e;
        out.add(new PersistAcceptedEpoch(e)); // barrier: also makes every earlier append durable
        allDurable();
        syncEpoch = e;
        learnerPhase = LearnerPhase.SYNC;
        send(leaderId, new AckEpoch(e, currentEpoch, lastLoggedZxid(), fresh, epochTails()));
    }

    private void onTrunc(Trunc t) {
        if (learnerPhase != LearnerPhase.SYNC) {
            return;
        }
        if (t.zxid() < lastApplied) {
            throw new IllegalStateException("server " + myId + ": TRUNC to " + Zxid.hex(t.zxid())
                    + " below applied " + Zxid.hex(lastApplied));
        }
        int keep = indexAfter(t.zxid());
        while (log.size() > keep) {
            log.remove(log.size() - 1);
        }
        out.add(new TruncateLog(t.zxid()));
        allDurable();
    }

    private void onDiff(Diff d) {
        if (learnerPhase != LearnerPhase.SYNC) {
            return;
        }
        appendNew(d.entries());
        knownCommitted = Math.max(knownCommitted, d.committedZxid());
    }

    private void onSnap(Snap s) {
        if (learnerPhase != LearnerPhase.SYNC) {
            return;
        }
        if (s.committedZxid() < s.snapshotZxid()) {
            throw new IllegalStateException("server " + myId + ": SNAP at " + Zxid.hex(s.snapshotZxid())
                    + " beyond its commit point " + Zxid.hex(s.committedZxid()));
        }
        // The snapshot holds committed state only, so it may go back behind what we applied (the leader applied
        // less) but never contradicts it: we re-apply from there once UPTODATE arrives.
        List<LogEntry> stale = bugs.contains(InjectedBug.SNAP_KEEPS_STALE_LOG)
                ? List.copyOf(log.subList(indexAfter(s.snapshotZxid()), log.size())) : List.of();
        log.clear();
        logBase = s.snapshotZxid();
        lastApplied = logBase;
        out.add(new InstallSnapshot(s.snapshotZxid(), s.state()));
        allDurable();
        if (!stale.isEmpty()) {
            appendLog(stale);
        }
        appendNew(s.entries());
        knownCommitted = s.committedZxid();
    }

    private void onNewLeader(NewLeader nl) {
        if (learnerPhase != LearnerPhase.SYNC || nl.epoch() != syncEpoch) {
            becomeLooking();
            return;
        }
        // ZOOKEEPER-3911/4643: the synced history is durable before currentEpoch, and both before the ACK.
        currentEpoch = nl.epoch();
        out.add(new PersistCurrentEpoch(currentEpoch)); // barrier
        allDurable();
        newLeaderAcked = true;
        lastAckSent = durableZxid;
        send(leaderId, new AckNewLeader(currentEpoch, durableZxid));
    }

    private void onUpToDate(UpToDate u) {
        if (learnerPhase != LearnerPhase.SYNC || !newLeaderAcked) {
            becomeLooking();
            return;
        }
        learnerPhase = LearnerPhase.BROADCAST;
        // Report one canonical vote for the established epoch, so a restarting server sees a quorum agree on it.
        vote = new Vote(leaderId, Zxid.make(syncEpoch, 0), syncEpoch);
        knownCommitted = Math.max(knownCommitted, u.committedZxid());
        applyUpTo(knownCommitted);
        setServing(true);
    }

    private void onProposal(Proposal p) {
        if (learnerPhase == LearnerPhase.DISCOVERY || observer) {
            return;
        }
        if (p.entry().zxid() <= lastLoggedZxid()) {
            return; // already got it in the DIFF
        }
        if (Zxid.epoch(p.entry().zxid()) != syncEpoch) {
            throw new IllegalStateException("server " + myId + ": proposal " + Zxid.hex(p.entry().zxid())
                    + " outside epoch " + syncEpoch);
        }
        appendLog(List.of(p.entry()));
        if (bugs.contains(InjectedBug.ACK_BEFORE_FSYNC) && newLeaderAcked) {
            lastAckSent = p.entry().zxid();
            send(leaderId, new Ack(p.entry().zxid()));
        }
        if (bugs.contains(InjectedBug.APPLY_ON_PROPOSAL) && learnerPhase == LearnerPhase.BROADCAST) {
            knownCommitted = Math.max(knownCommitted, p.entry().zxid());
            applyUpTo(knownCommitted);
        }
    }

    private void onCommit(Commit c) {
        if (learnerPhase == LearnerPhase.DISCOVERY) {
            return;
        }
        knownCommitted = Math.max(knownCommitted, c.zxid());
        if (learnerPhase == LearnerPhase.BROADCAST) {
            applyUpTo(knownCommitted);
        }
    }

    private void onInform(Inform i) {
        if (learnerPhase == LearnerPhase.DISCOVERY) {
            return;
        }
        if (i.entry().zxid() > lastLoggedZxid()) {
            appendLog(List.of(i.entry()));
        }
        knownCommitted = Math.max(knownCommitted, i.entry().zxid());
        if (learnerPhase == LearnerPhase.BROADCAST) {
            applyUpTo(knownCommitted);
        }
    }

    private void applyUpTo(long committed) {
        if (committed > lastLoggedZxid()) {
            throw new IllegalStateException("server " + myId + ": commit of " + Zxid.hex(committed)
                    + " beyond its log " + Zxid.hex(lastLoggedZxid()));
        }
        for (int i = indexAfter(lastApplied); i < log.size(); i++) {
            LogEntry e = log.get(i);
            if (e.zxid() > committed) {
                break;
            }
            out.add(new Apply(e));
            lastApplied = e.zxid();
        }
    }

    private void appendNew(List<LogEntry> entries) {
        List<LogEntry> fresh = new ArrayList<>();
        long last = lastLoggedZxid();
        for (LogEntry e : entries) {
            if (e.zxid() > last) {
                fresh.add(e);
                last = e.zxid();
            }
        }
        if (!fresh.isEmpty()) {
            appendLog(fresh);
        }
    }

    private void onDurable() {
        if (state == ServerState.LEADING && leaderPhase == LeaderPhase.BROADCAST) {
            tryCommit();
        } else if (state == ServerState.FOLLOWING && newLeaderAcked && durableZxid > lastAckSent) {
            lastAckSent = durableZxid;
            send(leaderId, new Ack(durableZxid));
        }
    }

    // ---------------------------------------------------------------- leader

    private void becomeLeader() {
        state = ServerState.LEADING;
        leaderPhase = LeaderPhase.DISCOVERY;
        phaseStart = now;
        newEpoch = -1;
        learners.clear();
        epochAcceptedBy.clear();
        lastCommitted = lastApplied;
        lastProposed = lastLoggedZxid();
        out.add(new RoleChanged(state, myId));
        Map<Long, FollowerInfo> parked = new TreeMap<>(parkedFollowerInfos);
        parkedFollowerInfos.clear();
        for (Map.Entry<Long, FollowerInfo> e : parked.entrySet()) {
            onFollowerInfo(e.getKey(), e.getValue());
        }
        checkEpochQuorum();
    }

    private void leaderOnly(long from, Runnable handler) {
        if (state == ServerState.LEADING && learners.containsKey(from)) {
            learners.get(from).lastHeard = now;
            handler.run();
        } else {
            // A learner we do not know (e.g. it reconnected after we dropped it): make it start over.
            out.add(new CloseChannel(from));
        }
    }

    private void onFollowerInfo(long from, FollowerInfo fi) {
        if (state == ServerState.LOOKING) {
            parkedFollowerInfos.put(from, fi); // we may yet decide to lead
            return;
        }
        if (state != ServerState.LEADING || fi.observer() != cfg.observers().contains(from)) {
            out.add(new CloseChannel(from));
            return;
        }
        Learner h = new Learner(from, fi.observer(), fi.acceptedEpoch(), now);
        learners.put(from, h);
        parkedSyncs.removeIf(p -> p.requester == from);
        if (newEpoch < 0) {
            checkEpochQuorum();
        } else if (fi.acceptedEpoch() >= newEpoch) {
            // The learner promised an epoch at least ours (an aborted attempt elsewhere): it would reject our
            // LEADERINFO forever. Step down so that the next election picks an epoch above its promise.
            becomeLooking();
        } else {
            send(from, new LeaderInfo(newEpoch));
        }
    }

    private void checkEpochQuorum() {
        if (leaderPhase != LeaderPhase.DISCOVERY) {
            return;
        }
        int voters = 1;
        long maxAccepted = acceptedEpoch;
        for (Learner h : learners.values()) {
            maxAccepted = Math.max(maxAccepted, h.acceptedEpoch);
            if (!h.observer) {
                voters++;
            }
        }
        if (voters < quorum) {
            return;
        }
        newEpoch = maxAccepted + 1;
        acceptedEpoch = newEpoch;
        out.add(new PersistAcceptedEpoch(newEpoch));
        allDurable();
        leaderPhase = LeaderPhase.EPOCH_ACK;
        phaseStart = now;
        epochAcceptedBy.add(myId);
        for (Learner h : learners.values()) {
            send(h.sid, new LeaderInfo(newEpoch));
        }
        checkEpochAckQuorum();
    }

    private void onAckEpoch(long from, AckEpoch a) {
        Learner h = learners.get(from);
        if (a.newEpoch() != newEpoch || h.ackEpoch != null) {
            return;
        }
        h.ackEpoch = a;
        // A learner that already accepted this epoch counts only if it accepted it from us (not from a rival
        // leader that picked the same number), so at most one leader can establish an epoch.
        boolean counts = !h.observer && (a.fresh() || epochAcceptedBy.contains(from));
        if (leaderPhase == LeaderPhase.EPOCH_ACK) {
            if (counts) {
                if (moreRecent(a.currentEpoch(), a.lastZxid(), currentEpoch, lastLoggedZxid())
                        && !bugs.contains(InjectedBug.ELECT_BY_SERVER_ID)) {
                    becomeLooking(); // "Follower is ahead of the leader"
                    return;
                }
                epochAcceptedBy.add(from);
            }
            checkEpochAckQuorum();
        } else {
            if (counts) {
                epochAcceptedBy.add(from);
            }
            if (!h.observer || leaderPhase == LeaderPhase.BROADCAST) {
                startSync(h);
            }
        }
    }

    private static boolean moreRecent(long epochA, long zxidA, long epochB, long zxidB) {
        return epochA > epochB || (epochA == epochB && zxidA > zxidB);
    }

    private void checkEpochAckQuorum() {
        if (leaderPhase != LeaderPhase.EPOCH_ACK || countVoters(epochAcceptedBy) < quorum) {
            return;
        }
        currentEpoch = newEpoch;
        out.add(new PersistCurrentEpoch(newEpoch)); // barrier: our whole history is durable from here on
        allDurable();
        leaderPhase = LeaderPhase.SYNC;
        phaseStart = now;
        initialHistoryEnd = lastLoggedZxid();
        lastProposed = initialHistoryEnd;
        for (Learner h : learners.values()) {
            if (h.ackEpoch != null && !h.observer) {
                startSync(h);
            }
        }
        checkEstablished();
    }

    private int countVoters(Set<Long> sids) {
        int n = 0;
        for (long s : sids) {
            if (cfg.voters().contains(s)) {
                n++;
            }
        }
        return n;
    }

    /** Choose DIFF, TRUNC+DIFF or SNAP from the exact common prefix, then NEWLEADER. */
    private void startSync(Learner h) {
        if (h.synced || h.ackEpoch == null) {
            return;
        }
        long limit = h.observer ? lastCommitted : lastLoggedZxid();
        long common = Math.min(commonPoint(h.ackEpoch.epochTails()), limit);
        long peerLast = h.ackEpoch.lastZxid();
        int from = indexAfter(common);
        int to = indexAfter(limit);
        if (common < logBase || to - from > cfg.maxDiffEntries()) {
            // State transfer: our applied state (committed, so a prefix of every learner's future) and the log after it.
            out.add(new SendSnapshot(h.sid, lastApplied, List.copyOf(log.subList(indexAfter(lastApplied), to)),
                    lastCommitted));
        } else {
            List<LogEntry> missing = List.copyOf(log.subList(from, to));
            if (common < peerLast && !bugs.contains(InjectedBug.SKIP_TRUNC)) {
                send(h.sid, new Trunc(common));
            }
            send(h.sid, new Diff(missing, lastCommitted));
        }
        h.synced = true;
        h.phaseStart = now;
        send(h.sid, new NewLeader(newEpoch));
    }

    /** The largest zxid present in both our log and the learner's (logs sharing a zxid share all before it). */
    private long commonPoint(long[] peerEpochTails) {
        long best = 0;
        for (long tail : peerEpochTails) {
            long mine = lastInEpoch(Zxid.epoch(tail));
            if (mine > 0) {
                best = Math.max(best, Math.min(mine, tail));
            }
        }
        return best;
    }

    /** Our last zxid of the epoch; 0 if we have none or cannot tell (compacted): the caller then falls back to SNAP. */
    private long lastInEpoch(long epoch) {
        int i = indexAfter(Zxid.make(epoch, Zxid.MAX_COUNTER)) - 1;
        if (i >= 0 && Zxid.epoch(log.get(i).zxid()) == epoch) {
            return log.get(i).zxid();
        }
        if (logBase > 0 && Zxid.epoch(logBase) == epoch && (log.isEmpty() || Zxid.epoch(log.get(0).zxid()) > epoch)) {
            return logBase;
        }
        return 0;
    }

    private long[] epochTails() {
        List<Long> tails = new ArrayList<>();
        if (logBase > 0 && (log.isEmpty() || Zxid.epoch(log.get(0).zxid()) != Zxid.epoch(logBase))) {
            tails.add(logBase); // the snapshot's point is part of our history
        }
        for (int i = 0; i < log.size(); i++) {
            long z = log.get(i).zxid();
            if (i == log.size() - 1 || Zxid.epoch(log.get(i + 1).zxid()) != Zxid.epoch(z)) {
                tails.add(z);
            }
        }
        long[] a = new long[tails.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = tails.get(i);
        }
        return a;
    }

    private void onAckNewLeader(long from, AckNewLeader a) {
        Learner h = learners.get(from);
        if (a.epoch() != newEpoch || !h.synced || h.newLeaderAcked) {
            return;
        }
        h.newLeaderAcked = true;
        h.acked = Math.max(h.acked, a.durableZxid());
        if (leaderPhase == LeaderPhase.SYNC) {
            checkEstablished();
        } else if (leaderPhase == LeaderPhase.BROADCAST) {
            send(from, new UpToDate(lastCommitted));
            tryCommit();
        }
    }

    private void checkEstablished() {
        if (leaderPhase != LeaderPhase.SYNC) {
            return;
        }
        int acks = 1;
        for (Learner h : learners.values()) {
            if (h.newLeaderAcked && !h.observer && epochAcceptedBy.contains(h.sid)) {
                acks++;
            }
        }
        if (acks < quorum) {
            return;
        }
        leaderPhase = LeaderPhase.BROADCAST;
        phaseStart = now;
        lastPingTick = now;
        out.add(new Established(newEpoch));
        vote = new Vote(myId, Zxid.make(newEpoch, 0), newEpoch);
        // The whole initial history is now on a quorum's disks: it is committed.
        lastCommitted = initialHistoryEnd;
        applyUpTo(initialHistoryEnd);
        for (Learner h : learners.values()) {
            h.lastHeard = now;
            if (h.newLeaderAcked) {
                send(h.sid, new UpToDate(lastCommitted));
            } else if (h.observer && h.ackEpoch != null) {
                startSync(h);
            }
        }
        setServing(true);
        tryCommit();
    }

    private void onAck(long from, Ack a) {
        Learner h = learners.get(from);
        if (!h.newLeaderAcked || h.observer) {
            return;
        }
        h.acked = Math.max(h.acked, a.zxid());
        if (leaderPhase == LeaderPhase.BROADCAST) {
            tryCommit();
        }
    }

    /** Commit, in zxid order, up to the highest proposal a quorum (our own durable log included) has acked. */
    private void tryCommit() {
        if (lastCommitted >= lastProposed) {
            return;
        }
        List<Long> acks = new ArrayList<>();
        acks.add(durableZxid);
        for (Learner h : learners.values()) {
            if (h.newLeaderAcked && !h.observer) {
                acks.add(h.acked);
            }
        }
        if (acks.size() < quorum && !bugs.contains(InjectedBug.COMMIT_WITHOUT_QUORUM)) {
            return;
        }
        acks.sort((x, y) -> Long.compare(y, x));
        int needed = bugs.contains(InjectedBug.COMMIT_WITHOUT_QUORUM) ? 1 : quorum;
        long commitTo = Math.min(bugs.contains(InjectedBug.COMMIT_WITHOUT_QUORUM) ? durableZxid : acks.get(needed - 1),
                lastProposed);
        if (commitTo <= lastCommitted) {
            return;
        }
        for (int i = indexAfter(lastCommitted); i < log.size(); i++) {
            LogEntry e = log.get(i);
            if (e.zxid() > commitTo) {
                break;
            }
            for (Learner h : learners.values()) {
                if (h.observer && h.synced) {
                    send(h.sid, new Inform(e));
                }
            }
        }
        lastCommitted = commitTo;
        for (Learner h : learners.values()) {
            if (h.synced && !h.observer) {
                send(h.sid, new Commit(commitTo));
            }
        }
        applyUpTo(commitTo);
        Iterator<ParkedSync> it = parkedSyncs.iterator();
        while (it.hasNext()) {
            ParkedSync p = it.next();
            if (p.target <= lastCommitted) {
                it.remove();
                if (p.requester == LOCAL) {
                    out.add(new SyncDone(p.syncId));
                } else if (learners.containsKey(p.requester)) {
                    send(p.requester, new SyncReply(p.syncId));
                }
            }
        }
    }

    private void onRequest(long from, Request r) {
        if (leaderPhase == LeaderPhase.BROADCAST && learners.get(from).synced) {
            out.add(new RequestForwarded(from, r.data()));
        }
    }

    private void onSyncRequest(long from, SyncRequest s) {
        if (leaderPhase != LeaderPhase.BROADCAST || !learners.get(from).synced) {
            return;
        }
        if (lastCommitted >= lastProposed) {
            send(from, new SyncReply(s.syncId()));
        } else {
            parkedSyncs.add(new ParkedSync(s.syncId(), from, lastProposed));
        }
    }

    private void leaderTick() {
        if (leaderPhase != LeaderPhase.BROADCAST) {
            if (now - phaseStart > cfg.initLimitTicks()) {
                becomeLooking(); // could not establish within initLimit
            }
            return;
        }
        if (now - lastPingTick >= cfg.pingEveryTicks()) {
            lastPingTick = now;
            for (Learner h : learners.values()) {
                if (h.synced) {
                    send(h.sid, new Ping(lastCommitted));
                }
            }
        }
        List<Long> drop = new ArrayList<>();
        int synced = 1;
        for (Learner h : learners.values()) {
            boolean silent = now - h.lastHeard > cfg.syncLimitTicks();
            boolean stuck = !h.newLeaderAcked && now - h.phaseStart > cfg.initLimitTicks();
            if (silent || stuck) {
                drop.add(h.sid);
            } else if (h.newLeaderAcked && !h.observer) {
                synced++;
            }
        }
        for (long sid : drop) {
            learners.remove(sid);
            parkedSyncs.removeIf(p -> p.requester == sid);
            out.add(new CloseChannel(sid));
        }
        if (synced < quorum) {
            becomeLooking(); // "Not sufficient followers synced"
        }
    }

    // ---------------------------------------------------------------- log helpers

    private void appendLog(List<LogEntry> entries) {
        log.addAll(entries);
        long seq = nextAppendSeq++;
        appendsInFlight.put(seq, entries.get(entries.size() - 1).zxid());
        out.add(new AppendLog(seq, List.copyOf(entries)));
    }

    /** After a barrier: everything logged so far is durable; acks still in flight are obsolete. */
    private void allDurable() {
        durableZxid = lastLoggedZxid();
        appendsInFlight.clear();
    }

    /** Index of the first log entry with zxid &gt; zxid. */
    private int indexAfter(long zxid) {
        int lo = 0;
        int hi = log.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (log.get(mid).zxid() <= zxid) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private void send(long to, ZabMessage m) {
        out.add(new Send(to, m));
    }

    @Override
    public String toString() {
        return "ZabPeer[" + myId + " " + state + (serving ? " serving" : "") + " epoch " + currentEpoch + "/"
                + acceptedEpoch + " logged " + Zxid.hex(lastLoggedZxid()) + " applied " + Zxid.hex(lastApplied) + "]";
    }
}
