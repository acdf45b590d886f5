package io.faultline.server.txn;

/** ZooKeeper opcodes (spec §1.6). */
public final class Ops {
    private Ops() {}
    public static final int NOTIFICATION = 0, CREATE = 1, DELETE = 2, EXISTS = 3, GET_DATA = 4, SET_DATA = 5,
            GET_ACL = 6, SET_ACL = 7, GET_CHILDREN = 8, SYNC = 9, PING = 11, GET_CHILDREN2 = 12, CHECK = 13,
            MULTI = 14, CREATE2 = 15, RECONFIG = 16, CHECK_WATCHES = 17, REMOVE_WATCHES = 18,
            CREATE_CONTAINER = 19, DELETE_CONTAINER = 20, CREATE_TTL = 21, MULTI_READ = 22, AUTH = 100,
            SET_WATCHES = 101, SASL = 102, GET_EPHEMERALS = 103, GET_ALL_CHILDREN_NUMBER = 104,
            SET_WATCHES2 = 105, ADD_WATCH = 106, WHO_AM_I = 107, CREATE_SESSION = -10, CLOSE_SESSION = -11,
            ERROR = -1;

    /** Opcodes a client may send after the handshake. */
    public static boolean isClientOp(int op) {
        return switch (op) {
            case CREATE, DELETE, EXISTS, GET_DATA, SET_DATA, GET_ACL, SET_ACL, GET_CHILDREN, SYNC, PING, GET_CHILDREN2,
                 CHECK, MULTI, CREATE2, RECONFIG, CHECK_WATCHES, REMOVE_WATCHES, CREATE_CONTAINER, CREATE_TTL,
                 MULTI_READ, AUTH, SET_WATCHES, SASL, GET_EPHEMERALS, GET_ALL_CHILDREN_NUMBER, SET_WATCHES2,
                 ADD_WATCH, WHO_AM_I, CLOSE_SESSION -> true;
            default -> false;
        };
    }

    /** Ops that change state and therefore become transactions. */
    public static boolean isWrite(int op) {
        return switch (op) {
            case CREATE, CREATE2, CREATE_CONTAINER, CREATE_TTL, DELETE, SET_DATA, SET_ACL, CHECK, MULTI,
                 CREATE_SESSION, CLOSE_SESSION -> true;
            default -> false;
        };
    }
}
