package io.faultline.server.zab;

/**
 * A FastLeaderElection vote: proposed leader, that leader's last logged zxid and its currentEpoch.
 * Observers start with {@link #NONE}, which never wins.
 */
public record Vote(long leader, long zxid, long peerEpoch) {
    public static final Vote NONE = new Vote(-1, -1, -1);

    /** totalOrderPredicate: epoch first, then zxid, then server id. */
    public boolean beats(Vote other) {
        if (leader < 0) {
            return false;
        }
        if (other.leader < 0) {
            return true;
        }
        if (peerEpoch != other.peerEpoch) {
            return peerEpoch > other.peerEpoch;
        }
        if (zxid != other.zxid) {
            return zxid > other.zxid;
        }
        return leader > other.leader;
    }
}
