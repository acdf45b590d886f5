package io.faultline.server.zab;

/**
 * Deliberate ZAB bugs (after the bug catalog in shared/specs/zookeeper.md §3) that a peer can be told to have,
 * so that the simulation and faultline's own checkers can be shown to catch them. Never enabled by default.
 */
public enum InjectedBug {
    /** ZOOKEEPER-1154: a diverged learner gets a DIFF without the TRUNC to the common prefix. */
    SKIP_TRUNC,
    /** ZOOKEEPER-3911/4785 family: a follower ACKs a proposal before it is durable. */
    ACK_BEFORE_FSYNC,
    /** The leader commits on its own ACK alone, without a quorum. */
    COMMIT_WITHOUT_QUORUM,
    /** ZOOKEEPER-2845 family: a follower applies proposals when it receives them, before COMMIT. */
    APPLY_ON_PROPOSAL,
    /** Election ignores epoch and zxid (highest server id wins) and the leader skips the "follower ahead" check. */
    ELECT_BY_SERVER_ID,
    /**
     * State transfer that keeps the learner's own log beyond the snapshot point instead of replacing it (the
     * "snapshot plus a stale log" family of recovery bugs): diverged proposals survive a SNAP.
     */
    SNAP_KEEPS_STALE_LOG
}
