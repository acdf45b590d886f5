package io.faultline.server.zab;

/** Peer states with the integer codes ZooKeeper's election messages use. */
public enum ServerState {
    LOOKING(0), FOLLOWING(1), LEADING(2), OBSERVING(3);

    public final int code;

    ServerState(int code) {
        this.code = code;
    }

    public static ServerState ofCode(int code) {
        for (ServerState s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown server state code " + code);
    }

    /** What srvr/mntr print as Mode / zk_server_state. */
    public String mode() {
        return switch (this) {
            case LOOKING -> "looking";
            case FOLLOWING -> "follower";
            case LEADING -> "leader";
            case OBSERVING -> "observer";
        };
    }
}
