package io.faultline.checker.session;

import java.util.List;

/**
 * The ZooKeeper / session guarantees the session checker reports on. Each failure is an anomaly whose
 * kind is the guarantee's name. {@link #SYNC_READS} is the soft class: ZooKeeper allows it in
 * leader-change corner cases (sync is not a quorum operation), so it never makes the verdict invalid.
 */
public enum Guarantee {
    FIFO_CLIENT_ORDER("fifo-client-order", true),
    SINGLE_SYSTEM_IMAGE("single-system-image", true),
    READ_YOUR_WRITES("read-your-writes", true),
    MONOTONIC_READS("monotonic-reads", true),
    MONOTONIC_WRITES("monotonic-writes", true),
    WRITES_FOLLOW_READS("writes-follow-reads", true),
    SEQUENTIAL_READS("sequential-reads", true),
    LINEARIZABLE_WRITES("linearizable-writes", true),
    SYNC_READS("sync-reads-linearizable", false),
    EPHEMERAL_LIFECYCLE("ephemeral-lifecycle", true),
    WATCH_ONCE("watch-once", true),
    WATCH_BEFORE_DATA("watch-before-data", true),
    WATCH_ORDER("watch-order", true);

    public final String kind;
    /** Hard guarantees make the verdict invalid; soft ones are reported only. */
    public final boolean hard;

    Guarantee(String kind, boolean hard) {
        this.kind = kind;
        this.hard = hard;
    }

    public static List<String> softKinds() {
        return java.util.Arrays.stream(values()).filter(g -> !g.hard).map(g -> g.kind).toList();
    }
}
