package io.faultline.server;

import io.faultline.server.tree.DataTree;
import io.faultline.server.tree.Node;
import io.faultline.server.txn.Ops;
import io.faultline.server.txn.Txn;
import io.faultline.server.txn.TxnBody;
import io.faultline.server.txn.TxnBody.*;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.apache.jute.BinaryInputArchive;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.proto.*;

/**
 * The prepare step: validates a write against the tree plus outstanding (prepared, not yet applied) changes and
 * turns it into a {@link Txn}. Runs on the core thread of the node that assigns zxids.
 */
public final class TxnPreparer {
    /** What prepare knows about a node: its committed state overlaid with outstanding changes. */
    private static final class View {
        long zxid; // zxid of the txn that produced this view (0 = from the tree)
        boolean exists;
        int version, aversion, cversion, childCount;
        long ephemeralOwner;
        List<ACL> acl;

        View copy(long atZxid) {
            View v = new View();
            v.zxid = atZxid; v.exists = exists; v.version = version; v.aversion = aversion; v.cversion = cversion;
            v.childCount = childCount; v.ephemeralOwner = ephemeralOwner; v.acl = acl;
            return v;
        }

        boolean ephemeral() {
            return exists && ephemeralOwner != 0 && ephemeralOwner != Node.CONTAINER_OWNER
                    && (ephemeralOwner & Node.TTL_MASK) != Node.TTL_MASK;
        }
    }

    private final DataTree tree;
    private final Map<String, View> outstanding = new HashMap<>();
    /** Sessions whose closeSession is prepared but not applied: they may not create ephemerals any more. */
    private final java.util.Set<Long> closing = new java.util.HashSet<>();
    private volatile boolean ttlEnabled;

    public TxnPreparer(DataTree tree) { this(tree, false); }

    public TxnPreparer(DataTree tree, boolean ttlEnabled) {
        this.tree = tree;
        this.ttlEnabled = ttlEnabled;
    }

    /** Drops outstanding changes produced by txns up to and including zxid (they are in the tree now). */
    public void applied(long zxid) {
        if (!closing.isEmpty()) closing.removeIf(sid -> !tree.sessions().containsKey(sid));
        if (outstanding.isEmpty()) return;
        for (Iterator<View> it = outstanding.values().iterator(); it.hasNext(); ) {
            if (it.next().zxid <= zxid) it.remove();
        }
    }

    public void reset() {
        outstanding.clear();
        closing.clear();
    }

    public int outstandingCount() { return outstanding.size(); }

    /**
     * Builds the txn for a write. Validation failures become {@code ErrorTxn} (they still consume a zxid);
     * a body that cannot be decoded throws IOException (the connection is then closed).
     */
    public Txn prepare(ClientRequest req, long zxid, long time) throws IOException {
        var overlay = new HashMap<String, View>();
        TxnBody body;
        if (req.opcode() == Ops.MULTI) {
            body = prepareMulti(req, zxid, overlay);
        } else {
            try {
                body = prepareOp(req.opcode(), req.body(), req, zxid, overlay);
            } catch (KeeperError e) {
                overlay.clear();
                body = new ErrorTxn(e.code());
            }
        }
        outstanding.putAll(overlay);
        return new Txn(req.sessionId(), req.cxid(), zxid, time, body);
    }

    /** A txn the server itself issues (session expiry, container cleanup). */
    public Txn prepareInternal(long sessionId, TxnBody body, long zxid, long time) {
        if (body instanceof DeleteTxn d) {
            View v = lookup(d.path(), Map.of());
            View parent = lookup(DataTree.parentOf(d.path()), Map.of());
            if (v == null || v.childCount > 0) return new Txn(sessionId, 0, zxid, time, new ErrorTxn(v == null ? -101 : -111));
            var overlay = new HashMap<String, View>();
            markDeleted(d.path(), v, parent, zxid, overlay);
            outstanding.putAll(overlay);
        }
        return new Txn(sessionId, 0, zxid, time, body);
    }

    private TxnBody prepareMulti(ClientRequest req, long zxid, Map<String, View> overlay) throws IOException {
        var in = new BinaryInputArchive(new DataInputStream(new ByteArrayInputStream(req.body())));
        var ops = new ArrayList<TxnBody>();
        int failedAt = -1, failure = 0;
        int index = 0;
        while (true) {
            var header = new MultiHeader();
            header.deserialize(in, "h");
            if (header.getDone()) break;
            if (++index > 100_000) throw new IOException("too many ops in multi");
            int type = header.getType();
            byte[] opBody = readSubRecord(in, type);
            if (failedAt >= 0) {
                ops.add(null);
                continue;
            }
            try {
                ops.add(prepareOp(type, opBody, req, zxid, overlay));
            } catch (KeeperError e) {
                failedAt = ops.size();
                failure = e.code();
                ops.add(null);
            }
        }
        if (failedAt < 0) return new MultiTxn(List.copyOf(ops));
        overlay.clear();
        var errors = new ArrayList<TxnBody>(ops.size());
        for (int i = 0; i < ops.size(); i++) {
            errors.add(new ErrorTxn(i < failedAt ? 0 : i == failedAt ? failure : KeeperError.RUNTIME_INCONSISTENCY));
        }
        return new MultiTxn(List.copyOf(errors));
    }

    /** Re-encodes one sub-request so the single-op code can parse it. */
    private static byte[] readSubRecord(BinaryInputArchive in, int type) throws IOException {
        org.apache.jute.Record r = switch (type) {
            case Ops.CREATE, Ops.CREATE2, Ops.CREATE_CONTAINER -> new CreateRequest();
            case Ops.CREATE_TTL -> new CreateTTLRequest();
            case Ops.DELETE -> new DeleteRequest();
            case Ops.SET_DATA -> new SetDataRequest();
            case Ops.CHECK -> new CheckVersionRequest();
            default -> throw new IOException("invalid op type " + type + " in multi");
        };
        r.deserialize(in, "op");
        return Jute.write(r);
    }

    private TxnBody prepareOp(int op, byte[] body, ClientRequest req, long zxid, Map<String, View> overlay)
            throws KeeperError, IOException {
        return switch (op) {
            case Ops.CREATE, Ops.CREATE2, Ops.CREATE_CONTAINER -> {
                var r = Jute.read(body, new CreateRequest());
                yield prepareCreate(op, r.getPath(), r.getData(), r.getAcl(), r.getFlags(), -1, req, zxid, overlay);
            }
            case Ops.CREATE_TTL -> {
                var r = Jute.read(body, new CreateTTLRequest());
                yield prepareCreate(op, r.getPath(), r.getData(), r.getAcl(), r.getFlags(), r.getTtl(), req, zxid, overlay);
            }
            case Ops.DELETE -> {
                var r = Jute.read(body, new DeleteRequest());
                String path = r.getPath();
                int slash = path.lastIndexOf('/');
                if (slash == -1 || path.indexOf('\0') != -1 || isSpecial(path)) throw new KeeperError(KeeperError.BAD_ARGUMENTS);
                View parent = existing(DataTree.parentOf(path), overlay);
                View node = existing(path, overlay);
                Acls.check(parent.acl, Acls.DELETE, req.authInfo());
                checkVersion(node.version, r.getVersion());
                if (node.childCount > 0) throw new KeeperError(KeeperError.NOT_EMPTY);
                markDeleted(path, node, parent, zxid, overlay);
                yield new DeleteTxn(path);
            }
            case Ops.SET_DATA -> {
                var r = Jute.read(body, new SetDataRequest());
                Paths.validate(r.getPath());
                View node = existing(r.getPath(), overlay);
                Acls.check(node.acl, Acls.WRITE, req.authInfo());
                int newVersion = checkVersion(node.version, r.getVersion());
                View v = node.copy(zxid);
                v.version = newVersion;
                overlay.put(r.getPath(), v);
                yield new SetDataTxn(r.getPath(), r.getData(), newVersion);
            }
            case Ops.SET_ACL -> {
                var r = Jute.read(body, new SetACLRequest());
                Paths.validate(r.getPath());
                List<ACL> acl = Acls.fixup(r.getAcl(), req.authInfo());
                View node = existing(r.getPath(), overlay);
                Acls.check(node.acl, Acls.ADMIN, req.authInfo());
                int newVersion = checkVersion(node.aversion, r.getVersion());
                View v = node.copy(zxid);
                v.aversion = newVersion;
                v.acl = acl;
                overlay.put(r.getPath(), v);
                yield new SetAclTxn(r.getPath(), acl, newVersion);
            }
            case Ops.CHECK -> {
                var r = Jute.read(body, new CheckVersionRequest());
                Paths.validate(r.getPath());
                View node = existing(r.getPath(), overlay);
                Acls.check(node.acl, Acls.READ, req.authInfo());
                checkVersion(node.version, r.getVersion());
                yield new CheckTxn(r.getPath(), r.getVersion());
            }
            case Ops.CREATE_SESSION -> {
                var r = Jute.read(body, new ConnectRequest());
                yield new CreateSessionTxn(r.getTimeOut(), r.getPasswd());
            }
            case Ops.CLOSE_SESSION -> {
                closing.add(req.sessionId());
                yield new CloseSessionTxn(closeSessionEphemerals(req.sessionId(), zxid, overlay));
            }
            default -> throw new KeeperError(KeeperError.UNIMPLEMENTED);
        };
    }

    private TxnBody prepareCreate(int op, String path, byte[] data, List<ACL> acl, int flags, long ttl,
                                  ClientRequest req, long zxid, Map<String, View> overlay) throws KeeperError {
        if (flags < 0 || flags > 6) throw new KeeperError(KeeperError.BAD_ARGUMENTS);
        boolean sequential = flags == 2 || flags == 3 || flags == 6;
        boolean ephemeral = flags == 1 || flags == 3;
        boolean container = flags == 4;
        boolean ttlMode = flags == 5 || flags == 6;
        if (ttlMode && !ttlEnabled) throw new KeeperError(KeeperError.UNIMPLEMENTED);
        if (op == Ops.CREATE_TTL && !ttlMode || ttlMode && op != Ops.CREATE_TTL) throw new KeeperError(KeeperError.BAD_ARGUMENTS);
        if (ttlMode && (ttl <= 0 || ttl > 0xFFFFFFFFFFL)) throw new KeeperError(KeeperError.BAD_ARGUMENTS);
        if (container != (op == Ops.CREATE_CONTAINER)) throw new KeeperError(KeeperError.BAD_ARGUMENTS);
        if (path == null) throw new KeeperError(KeeperError.BAD_ARGUMENTS);
        int slash = path.lastIndexOf('/');
        if (slash == -1 || path.indexOf('\0') != -1) throw new KeeperError(KeeperError.BAD_ARGUMENTS);
        List<ACL> fixed = Acls.fixup(acl, req.authInfo());
        String parentPath = slash == 0 ? "/" : path.substring(0, slash);
        View parent = existing(parentPath, overlay);
        Acls.check(parent.acl, Acls.CREATE, req.authInfo());
        int parentCversion = parent.cversion;
        if (sequential) path = path + String.format("%010d", parentCversion);
        Paths.validate(path);
        if (lookup(path, overlay) != null) throw new KeeperError(KeeperError.NODE_EXISTS);
        if (parent.ephemeral()) throw new KeeperError(KeeperError.NO_CHILDREN_FOR_EPHEMERALS);
        if (ephemeral && (closing.contains(req.sessionId()) || !tree.sessions().containsKey(req.sessionId()))) {
            throw new KeeperError(KeeperError.SESSION_EXPIRED); // an ephemeral must never outlive its session
        }
        long owner = ephemeral ? req.sessionId() : container ? Node.CONTAINER_OWNER : ttlMode ? (Node.TTL_MASK | ttl) : 0;
        View p = parent.copy(zxid);
        p.cversion = parentCversion + 1;
        p.childCount++;
        overlay.put(parentPath, p);
        View n = new View();
        n.zxid = zxid; n.exists = true; n.ephemeralOwner = owner; n.acl = fixed;
        overlay.put(path, n);
        return new CreateTxn(path, data, fixed, owner, parentCversion + 1, op);
    }

    private List<String> closeSessionEphemerals(long sessionId, long zxid, Map<String, View> overlay) {
        var paths = new LinkedHashSet<>(tree.ephemeralsOf(sessionId));
        outstanding.forEach((path, v) -> {
            if (v.exists && v.ephemeralOwner == sessionId) paths.add(path);
            else if (!v.exists) paths.remove(path);
        });
        var out = new ArrayList<String>();
        for (String path : paths) {
            View v = lookup(path, overlay);
            if (v == null || v.ephemeralOwner != sessionId) continue;
            markDeleted(path, v, lookup(DataTree.parentOf(path), overlay), zxid, overlay);
            out.add(path);
        }
        return out;
    }

    private void markDeleted(String path, View node, View parent, long zxid, Map<String, View> overlay) {
        View gone = node.copy(zxid);
        gone.exists = false;
        overlay.put(path, gone);
        if (parent != null) {
            View p = parent.copy(zxid);
            p.childCount--;
            overlay.put(DataTree.parentOf(path), p);
        }
    }

    private static boolean isSpecial(String path) {
        return path.equals("/") || path.equals("/zookeeper") || path.equals("/zookeeper/quota")
                || path.equals("/zookeeper/config");
    }

    private static int checkVersion(int current, int expected) throws KeeperError {
        if (expected != -1 && expected != current) throw new KeeperError(KeeperError.BAD_VERSION);
        return current + 1;
    }

    private View existing(String path, Map<String, View> overlay) throws KeeperError {
        View v = lookup(path, overlay);
        if (v == null) throw new KeeperError(KeeperError.NO_NODE);
        return v;
    }

    private View lookup(String path, Map<String, View> overlay) {
        View v = overlay.get(path);
        if (v == null) v = outstanding.get(path);
        if (v != null) return v.exists ? v : null;
        Node n = tree.get(path);
        if (n == null) return null;
        View t = new View();
        t.exists = true; t.version = n.version(); t.aversion = n.aversion(); t.cversion = n.internalCversion();
        t.childCount = n.children().size(); t.ephemeralOwner = n.rawEphemeralOwner(); t.acl = n.acl();
        return t;
    }
}
