package io.faultline.chaos.cluster;

import java.util.Locale;

/** A node's role as its own srvr/mntr reports it, or why it reports none. */
public enum Role {
    LEADER, FOLLOWER, OBSERVER, STANDALONE,
    /** Answers, but is not serving (e.g. "This ZooKeeper instance is not currently serving requests"). */
    NOT_SERVING,
    /** Does not answer srvr at all (down, paused, partitioned from the harness). */
    UNREACHABLE;

    /** Parses the value of srvr's {@code Mode:} line or mntr's {@code zk_server_state}. */
    public static Role parse(String mode) {
        return switch (mode.trim().toLowerCase(Locale.ROOT)) {
            case "leader", "leading" -> LEADER;
            case "follower", "following" -> FOLLOWER;
            case "observer", "observing" -> OBSERVER;
            case "standalone" -> STANDALONE;
            default -> NOT_SERVING;
        };
    }

    /** True if a client can be served by a node in this role. */
    public boolean serving() {
        return this == LEADER || this == FOLLOWER || this == OBSERVER || this == STANDALONE;
    }
}
