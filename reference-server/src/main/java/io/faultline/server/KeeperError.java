package io.faultline.server;

/** A ZooKeeper error code raised while preparing or answering a request (no stack trace: it is control flow). */
public final class KeeperError extends Exception {
    public static final int SYSTEM_ERROR = -1, RUNTIME_INCONSISTENCY = -2, MARSHALLING_ERROR = -5,
            UNIMPLEMENTED = -6, BAD_ARGUMENTS = -8, NO_NODE = -101, NO_AUTH = -102, BAD_VERSION = -103,
            NO_CHILDREN_FOR_EPHEMERALS = -108, NODE_EXISTS = -110, NOT_EMPTY = -111, SESSION_EXPIRED = -112,
            INVALID_ACL = -114, AUTH_FAILED = -115, SESSION_MOVED = -118, NO_WATCHER = -121;

    private final int code;

    public KeeperError(int code) {
        super("zookeeper error " + code, null, false, false);
        this.code = code;
    }

    public int code() { return code; }
}
