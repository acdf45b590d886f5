package io.faultline.chaos.cluster;

/**
 * What a node says about itself through the srvr (or mntr) four-letter word.
 *
 * @param role its role, or {@link Role#UNREACHABLE}
 * @param zxid its last zxid, -1 if not reported
 * @param raw the raw answer (empty if unreachable), kept for logs and reports
 */
public record NodeStatus(Role role, long zxid, String raw) {
    public static final NodeStatus UNREACHABLE = new NodeStatus(Role.UNREACHABLE, -1, "");

    public long epoch() {
        return zxid < 0 ? -1 : zxid >>> 32;
    }

    public long counter() {
        return zxid < 0 ? -1 : zxid & 0xffffffffL;
    }
}
