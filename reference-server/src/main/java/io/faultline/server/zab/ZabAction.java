package io.faultline.server.zab;

import java.util.List;

/**
 * What the core asks its driver to do. A driver executes the actions of one step in order.
 * Disk actions other than {@link AppendLog} are barriers: the driver first makes every earlier append durable,
 * then performs the action durably, before executing the next action (so a Send after a barrier only leaves
 * once the barrier is on disk).
 */
public sealed interface ZabAction {

    record Send(long to, ZabMessage message) implements ZabAction {}

    /** Close the connection(s) to a peer so that it notices; later sends open a new connection. */
    record CloseChannel(long peer) implements ZabAction {}

    /** Append entries to the log, asynchronously; report {@code ZabPeer.logSynced(seq)} once durable (FIFO). */
    record AppendLog(long seq, List<LogEntry> entries) implements ZabAction {}

    /** Barrier: drop every log entry with zxid &gt; zxid. */
    record TruncateLog(long zxid) implements ZabAction {}

    /**
     * Barrier (SNAP from the leader): atomically make {@code state}, the application's state after every transaction
     * up to zxid, the durable snapshot and empty the log; then reset the applied state to it. Later Apply actions
     * continue from there.
     */
    record InstallSnapshot(long zxid, byte[] state) implements ZabAction {}

    /**
     * Leader: send the learner a SNAP made of the application's state after every transaction up to zxid (the
     * state every earlier Apply produced), the entries after it and the commit point. The driver serializes its
     * state, which is exactly at zxid once it has executed the earlier actions.
     */
    record SendSnapshot(long to, long zxid, List<LogEntry> entriesAfter, long committedZxid) implements ZabAction {}

    /** Housekeeping, not a barrier: log entries up to zxid are covered by a durable snapshot and may be deleted. */
    record CompactLog(long zxid) implements ZabAction {}

    /** Barrier. */
    record PersistAcceptedEpoch(long epoch) implements ZabAction {}

    /** Barrier. */
    record PersistCurrentEpoch(long epoch) implements ZabAction {}

    /** Apply a committed transaction (zxid order, exactly once per state). */
    record Apply(LogEntry entry) implements ZabAction {}

    record RoleChanged(ServerState state, long leaderId) implements ZabAction {}

    /** The leader of epoch established itself (a quorum acknowledged NEWLEADER). */
    record Established(long epoch) implements ZabAction {}

    /** Start or stop serving clients. */
    record ServingChanged(boolean serving) implements ZabAction {}

    /** A learner forwarded a client write to this leader. */
    record RequestForwarded(long from, byte[] data) implements ZabAction {}

    /** sync(syncId) finished: everything committed before the leader handled it has been applied here. */
    record SyncDone(long syncId) implements ZabAction {}

    /** Leader: a learner reports these sessions as alive; renew them. */
    record SessionsTouched(long from, long[] sessionIds) implements ZabAction {}
}
