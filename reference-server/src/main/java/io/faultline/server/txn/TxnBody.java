package io.faultline.server.txn;

import java.util.List;
import org.apache.zookeeper.data.ACL;

/** The body of a transaction: every value is resolved at prepare time so that apply is deterministic. */
public sealed interface TxnBody {
    int opcode();

    /** A create of any mode. {@code parentCversion} is the parent's creation counter after this create. */
    record CreateTxn(String path, byte[] data, List<ACL> acl, long ephemeralOwner, int parentCversion, int opcode)
            implements TxnBody {}

    record DeleteTxn(String path, int opcode) implements TxnBody {
        public DeleteTxn(String path) { this(path, Ops.DELETE); }
    }

    /** {@code version} is the node's version after the set. */
    record SetDataTxn(String path, byte[] data, int version) implements TxnBody {
        public int opcode() { return Ops.SET_DATA; }
    }

    /** {@code version} is the node's aversion after the set. */
    record SetAclTxn(String path, List<ACL> acl, int version) implements TxnBody {
        public int opcode() { return Ops.SET_ACL; }
    }

    record CheckTxn(String path, int version) implements TxnBody {
        public int opcode() { return Ops.CHECK; }
    }

    record ErrorTxn(int err) implements TxnBody {
        public int opcode() { return Ops.ERROR; }
    }

    record MultiTxn(List<TxnBody> ops) implements TxnBody {
        public int opcode() { return Ops.MULTI; }
    }

    record CreateSessionTxn(int timeoutMs, byte[] password) implements TxnBody {
        public int opcode() { return Ops.CREATE_SESSION; }
    }

    record CloseSessionTxn(List<String> ephemeralsToDelete) implements TxnBody {
        public int opcode() { return Ops.CLOSE_SESSION; }
    }
}
