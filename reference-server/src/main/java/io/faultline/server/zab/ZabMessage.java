package io.faultline.server.zab;

import java.util.List;

/**
 * Messages between peers. {@link Notification} travels on the election channel; the rest on the
 * leader-learner (quorum) channel, in FIFO order per connection.
 */
public sealed interface ZabMessage {

    /** FastLeaderElection notification: sender's state, its current vote and its election round. */
    record Notification(ServerState state, Vote vote, long round) implements ZabMessage {}

    /** FOLLOWERINFO / OBSERVERINFO: the learner's acceptedEpoch. */
    record FollowerInfo(long acceptedEpoch, boolean observer) implements ZabMessage {}

    /** LEADERINFO: the epoch the leader proposes. */
    record LeaderInfo(long newEpoch) implements ZabMessage {}

    /**
     * ACKEPOCH. {@code fresh} is false when the learner had already accepted newEpoch (ZooKeeper's -1).
     * {@code epochTails} holds, per epoch present in the learner's log, its last zxid (ascending), so the leader
     * can compute the exact common prefix for DIFF/TRUNC.
     */
    record AckEpoch(long newEpoch, long currentEpoch, long lastZxid, boolean fresh, long[] epochTails)
            implements ZabMessage {}

    /** TRUNC: drop every log entry after zxid. Followed by a DIFF. */
    record Trunc(long zxid) implements ZabMessage {}

    /** DIFF: entries to append; entries up to committedZxid are committed. */
    record Diff(List<LogEntry> entries, long committedZxid) implements ZabMessage {}

    /**
     * SNAP: state transfer. {@code state} is the application's state after every transaction up to snapshotZxid
     * (opaque to ZAB), {@code entries} the log after it; everything up to committedZxid is committed.
     */
    record Snap(long snapshotZxid, byte[] state, List<LogEntry> entries, long committedZxid) implements ZabMessage {}

    record NewLeader(long epoch) implements ZabMessage {}

    /** ACK of NEWLEADER: everything up to durableZxid is on the learner's disk and currentEpoch = epoch. */
    record AckNewLeader(long epoch, long durableZxid) implements ZabMessage {}

    /** UPTODATE: start serving; everything up to committedZxid is committed. */
    record UpToDate(long committedZxid) implements ZabMessage {}

    record Proposal(LogEntry entry) implements ZabMessage {}

    /** ACK: every proposal up to zxid is durable on the follower. */
    record Ack(long zxid) implements ZabMessage {}

    /** COMMIT: every proposal up to zxid is committed. */
    record Commit(long zxid) implements ZabMessage {}

    /** INFORM: a committed transaction, for observers. */
    record Inform(LogEntry entry) implements ZabMessage {}

    record Ping(long lastCommitted) implements ZabMessage {}

    record PingAck() implements ZabMessage {}

    /** A client write forwarded by a learner; opaque to ZAB. */
    record Request(byte[] data) implements ZabMessage {}

    record SyncRequest(long syncId) implements ZabMessage {}

    record SyncReply(long syncId) implements ZabMessage {}

    /** Learner to leader: client sessions with live connections here, so the leader renews them (ZooKeeper: PING). */
    record Touches(long[] sessionIds) implements ZabMessage {}

    /** True for messages that belong to the election channel. */
    static boolean isElection(ZabMessage m) {
        return m instanceof Notification;
    }
}
