package io.faultline.workloads.zk;

import io.faultline.checker.history.OpType;
import io.faultline.workloads.client.Completion;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.zookeeper.KeeperException.Code;

/** Shared rules for ZooKeeper clients: which errors are definite, how values are encoded. */
public final class ZkClients {
    private ZkClients() {}

    /** Errors after which the op definitely did not take effect. */
    public static boolean definite(Code code) {
        return switch (code) {
            case BADVERSION, NONODE, NODEEXISTS, NOTEMPTY, NOAUTH, BADARGUMENTS, NOCHILDRENFOREPHEMERALS,
                 INVALIDACL, AUTHFAILED, NOWATCHER, UNIMPLEMENTED, APIERROR, RUNTIMEINCONSISTENCY,
                 DATAINCONSISTENCY, MARSHALLINGERROR, NEWCONFIGNOQUORUM, RECONFIGINPROGRESS, THROTTLEDOP,
                 QUOTAEXCEEDED -> true;
            default -> false; // CONNECTIONLOSS, OPERATIONTIMEOUT, SESSIONEXPIRED, SESSIONMOVED, ...
        };
    }

    /** The history's error name: BADVERSION → "bad-version", CONNECTIONLOSS → "connection-loss". */
    public static String errorName(Code code) {
        return switch (code) {
            case BADVERSION -> "bad-version";
            case NONODE -> "no-node";
            case NODEEXISTS -> "node-exists";
            case NOTEMPTY -> "not-empty";
            case CONNECTIONLOSS -> "connection-loss";
            case OPERATIONTIMEOUT -> "operation-timeout";
            case SESSIONEXPIRED -> "session-expired";
            case SESSIONMOVED -> "session-moved";
            default -> code.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        };
    }

    /**
     * The completion for a failed request: definite errors are fail; indefinite ones are info when the
     * op may have changed state ({@code mutating}), and fail for reads, which change nothing.
     */
    public static Completion error(Object value, Code code, boolean mutating, ZkSession s, long zxid) {
        OpType type = definite(code) || !mutating ? OpType.FAIL : OpType.INFO;
        Map<String, Object> extra = new HashMap<>();
        extra.put("error", errorName(code));
        Long z = type == OpType.INFO || zxid <= 0 ? null : zxid;
        return new Completion(type, value, s.node(), s.sessionId(), z, extra);
    }

    public static byte[] encode(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    /** A znode's data as a long, or null when empty or not a number. */
    public static Long decode(byte[] data) {
        if (data == null || data.length == 0) return null;
        try {
            return Long.parseLong(new String(data, StandardCharsets.US_ASCII).trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public static Completion ok(Object value, ZkSession s, long zxid, Map<String, Object> extra) {
        return new Completion(OpType.OK, value, s.node(), s.sessionId(), zxid > 0 ? zxid : null, extra);
    }
}
