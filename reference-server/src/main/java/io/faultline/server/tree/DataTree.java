package io.faultline.server.tree;

import io.faultline.server.txn.Ops;
import io.faultline.server.txn.Txn;
import io.faultline.server.txn.TxnBody;
import io.faultline.server.txn.TxnBody.*;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;

/**
 * The replicated state: znodes, the session table and the ephemeral index. {@link #apply} is the one
 * deterministic step that changes it; it runs on the core thread only.
 */
public final class DataTree {
    public static final List<ACL> OPEN_ACL = List.of(new ACL(31, new Id("world", "anyone")));
    public static final List<ACL> READ_ACL = List.of(new ACL(1, new Id("world", "anyone")));

    private final Map<String, Node> nodes = new HashMap<>();
    private final Map<Long, Set<String>> ephemerals = new HashMap<>();
    private final Map<Long, SessionInfo> sessions = new HashMap<>();
    private volatile long lastProcessedZxid;
    private volatile int nodeCount;

    public DataTree() {
        Node root = new Node(new byte[0], OPEN_ACL);
        nodes.put("/", root);
        // /zookeeper, /zookeeper/quota and /zookeeper/config are added without create txns, as ZooKeeper does,
        // so their parents' creation counters stay 0 (root reports cversion -1, /zookeeper -2).
        addSystemNode("/", "zookeeper", OPEN_ACL);
        addSystemNode("/zookeeper", "quota", OPEN_ACL);
        addSystemNode("/zookeeper", "config", READ_ACL);
        nodes.get("/zookeeper/config").aversion = -1; // as ZooKeeper reports it
        nodeCount = nodes.size();
    }

    private void addSystemNode(String parent, String name, List<ACL> acl) {
        nodes.get(parent).children.add(name);
        nodes.put(childPath(parent, name), new Node(new byte[0], acl));
    }

    public static String childPath(String parent, String name) {
        return parent.equals("/") ? "/" + name : parent + "/" + name;
    }

    public static String parentOf(String path) {
        int i = path.lastIndexOf('/');
        return i <= 0 ? "/" : path.substring(0, i);
    }

    public Node get(String path) { return nodes.get(path); }
    public long lastProcessedZxid() { return lastProcessedZxid; }
    /** Node count as ZooKeeper reports it (its map holds the root under both "" and "/"). */
    public int nodeCount() { return nodeCount + 1; }
    public Map<Long, SessionInfo> sessions() { return sessions; }
    public Set<String> ephemeralsOf(long sessionId) { return ephemerals.getOrDefault(sessionId, Set.of()); }
    public Map<Long, Set<String>> ephemerals() { return ephemerals; }
    public int watchableNodeCount() { return nodes.size(); }

    /** All paths of containers and TTL nodes (for the container manager). */
    public List<String> containerAndTtlPaths() {
        var out = new ArrayList<String>();
        nodes.forEach((p, n) -> { if (n.isContainer() || n.isTtl()) out.add(p); });
        return out;
    }

    /** Count of all descendants of path, not counting the node itself. */
    public int descendantCount(String path) {
        Node n = nodes.get(path);
        if (n == null) return 0;
        int total = 0;
        for (String c : n.children) total += 1 + descendantCount(childPath(path, c));
        return total;
    }

    public ApplyResult apply(Txn txn) {
        var triggers = new ArrayList<WatchTrigger>();
        OpResult result = applyBody(txn, txn.body(), triggers);
        if (txn.zxid() > lastProcessedZxid) lastProcessedZxid = txn.zxid();
        nodeCount = nodes.size();
        return new ApplyResult(result, triggers);
    }

    private OpResult applyBody(Txn txn, TxnBody body, List<WatchTrigger> triggers) {
        long zxid = txn.zxid();
        return switch (body) {
            case CreateTxn c -> {
                String parentPath = parentOf(c.path());
                Node parent = nodes.get(parentPath);
                if (parent == null) yield new OpResult.Error(-101);
                if (nodes.containsKey(c.path())) yield new OpResult.Error(-110);
                Node n = new Node(c.data(), c.acl());
                n.czxid = n.mzxid = n.pzxid = zxid;
                n.ctime = n.mtime = txn.time();
                n.ephemeralOwner = c.ephemeralOwner();
                nodes.put(c.path(), n);
                parent.children.add(c.path().substring(c.path().lastIndexOf('/') + 1));
                parent.cversion = c.parentCversion();
                parent.pzxid = zxid;
                long owner = n.ephemeralSession();
                if (owner != 0) ephemerals.computeIfAbsent(owner, k -> new LinkedHashSet<>()).add(c.path());
                triggers.add(new WatchTrigger(c.path(), WatchTrigger.NODE_CREATED, zxid, n.acl));
                triggers.add(new WatchTrigger(parentPath, WatchTrigger.NODE_CHILDREN_CHANGED, zxid, parent.acl));
                yield new OpResult.Created(c.path(), n.stat(), c.opcode());
            }
            case DeleteTxn d -> deleteNode(d.path(), zxid, triggers) ? new OpResult.Deleted() : new OpResult.Error(-101);
            case SetDataTxn s -> {
                Node n = nodes.get(s.path());
                if (n == null) yield new OpResult.Error(-101);
                n.data = s.data();
                n.version = s.version();
                n.mzxid = zxid;
                n.mtime = txn.time();
                triggers.add(new WatchTrigger(s.path(), WatchTrigger.NODE_DATA_CHANGED, zxid, n.acl));
                yield new OpResult.DataSet(n.stat());
            }
            case SetAclTxn s -> {
                Node n = nodes.get(s.path());
                if (n == null) yield new OpResult.Error(-101);
                n.acl = s.acl();
                n.aversion = s.version();
                yield new OpResult.AclSet(n.stat());
            }
            case CheckTxn c -> new OpResult.Checked();
            case ErrorTxn e -> new OpResult.Error(e.err());
            case MultiTxn m -> {
                var results = new ArrayList<OpResult>(m.ops().size());
                for (TxnBody op : m.ops()) results.add(applyBody(txn, op, triggers));
                yield new OpResult.Multi(results);
            }
            case CreateSessionTxn s -> {
                sessions.put(txn.sessionId(), new SessionInfo(txn.sessionId(), s.timeoutMs(), s.password()));
                yield new OpResult.SessionCreated();
            }
            case CloseSessionTxn c -> {
                for (String p : c.ephemeralsToDelete()) deleteNode(p, zxid, triggers);
                // anything the prepare step could not see (it cannot, but stay safe): still owned → delete
                for (String p : List.copyOf(ephemeralsOf(txn.sessionId()))) deleteNode(p, zxid, triggers);
                ephemerals.remove(txn.sessionId());
                sessions.remove(txn.sessionId());
                yield new OpResult.SessionClosed();
            }
        };
    }

    private boolean deleteNode(String path, long zxid, List<WatchTrigger> triggers) {
        Node n = nodes.get(path);
        if (n == null || path.equals("/")) return false;
        nodes.remove(path);
        String parentPath = parentOf(path);
        Node parent = nodes.get(parentPath);
        if (parent != null) {
            parent.children.remove(path.substring(path.lastIndexOf('/') + 1));
            parent.pzxid = zxid;
        }
        long owner = n.ephemeralSession();
        if (owner != 0) {
            Set<String> set = ephemerals.get(owner);
            if (set != null) {
                set.remove(path);
                if (set.isEmpty()) ephemerals.remove(owner);
            }
        }
        triggers.add(new WatchTrigger(path, WatchTrigger.NODE_DELETED, zxid, n.acl));
        if (parent != null) triggers.add(new WatchTrigger(parentPath, WatchTrigger.NODE_CHILDREN_CHANGED, zxid, parent.acl));
        return true;
    }

    // ---- snapshots -------------------------------------------------------------------------------------

    /** Becomes a copy of other's state (a replica installing its leader's snapshot); other is not used afterwards. */
    public void replaceWith(DataTree other) {
        nodes.clear();
        nodes.putAll(other.nodes);
        ephemerals.clear();
        ephemerals.putAll(other.ephemerals);
        sessions.clear();
        sessions.putAll(other.sessions);
        nodeCount = other.nodeCount;
        lastProcessedZxid = other.lastProcessedZxid;
    }

    private static final int SNAPSHOT_FORMAT = 1;

    /** Serializes the whole state, parents before children. Runs on the core thread (consistent, not fuzzy). */
    public byte[] serializeSnapshot() {
        var bytes = new ByteArrayOutputStream(1 << 16);
        try (var out = new DataOutputStream(bytes)) {
            out.writeInt(SNAPSHOT_FORMAT);
            out.writeLong(lastProcessedZxid);
            out.writeInt(sessions.size());
            for (SessionInfo s : sessions.values()) {
                out.writeLong(s.sessionId());
                out.writeInt(s.timeoutMs());
                writeBytes(out, s.password());
            }
            var ordered = new ArrayList<String>(nodes.size());
            collectPreorder("/", ordered);
            out.writeInt(ordered.size());
            for (String path : ordered) {
                Node n = nodes.get(path);
                writeBytes(out, path.getBytes(StandardCharsets.UTF_8));
                writeBytes(out, n.data);
                out.writeInt(n.acl.size());
                for (ACL a : n.acl) {
                    out.writeInt(a.getPerms());
                    writeBytes(out, a.getId().getScheme().getBytes(StandardCharsets.UTF_8));
                    writeBytes(out, a.getId().getId().getBytes(StandardCharsets.UTF_8));
                }
                out.writeLong(n.czxid); out.writeLong(n.mzxid); out.writeLong(n.ctime); out.writeLong(n.mtime);
                out.writeLong(n.pzxid); out.writeInt(n.version); out.writeInt(n.aversion); out.writeInt(n.cversion);
                out.writeLong(n.ephemeralOwner);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private void collectPreorder(String path, List<String> out) {
        out.add(path);
        Node n = nodes.get(path);
        for (String c : n.children) collectPreorder(childPath(path, c), out);
    }

    public static DataTree deserializeSnapshot(byte[] data) {
        try (var in = new DataInputStream(new ByteArrayInputStream(data))) {
            if (in.readInt() != SNAPSHOT_FORMAT) throw new IllegalArgumentException("unknown snapshot format");
            DataTree t = new DataTree();
            t.nodes.clear();
            t.lastProcessedZxid = in.readLong();
            int ns = in.readInt();
            for (int i = 0; i < ns; i++) {
                long id = in.readLong();
                t.sessions.put(id, new SessionInfo(id, in.readInt(), readBytes(in)));
            }
            int nn = in.readInt();
            for (int i = 0; i < nn; i++) {
                String path = new String(readBytes(in), StandardCharsets.UTF_8);
                byte[] nodeData = readBytes(in);
                int na = in.readInt();
                var acl = new ArrayList<ACL>(na);
                for (int j = 0; j < na; j++) {
                    int perms = in.readInt();
                    acl.add(new ACL(perms, new Id(new String(readBytes(in), StandardCharsets.UTF_8),
                            new String(readBytes(in), StandardCharsets.UTF_8))));
                }
                Node n = new Node(nodeData, List.copyOf(acl));
                n.czxid = in.readLong(); n.mzxid = in.readLong(); n.ctime = in.readLong(); n.mtime = in.readLong();
                n.pzxid = in.readLong(); n.version = in.readInt(); n.aversion = in.readInt(); n.cversion = in.readInt();
                n.ephemeralOwner = in.readLong();
                t.nodes.put(path, n);
                if (!path.equals("/")) {
                    Node parent = t.nodes.get(parentOf(path));
                    if (parent == null) throw new IllegalArgumentException("snapshot: orphan " + path);
                    parent.children.add(path.substring(path.lastIndexOf('/') + 1));
                }
                long owner = n.ephemeralSession();
                if (owner != 0) t.ephemerals.computeIfAbsent(owner, k -> new LinkedHashSet<>()).add(path);
            }
            t.nodeCount = t.nodes.size();
            return t;
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated snapshot", e);
        }
    }

    /** Order-independent digest of nodes and sessions, for comparing replicas. */
    public long digest() {
        long h = 0;
        for (var e : new TreeMap<>(nodes).entrySet()) {
            Node n = e.getValue();
            long x = e.getKey().hashCode();
            x = x * 31 + java.util.Arrays.hashCode(n.data);
            x = x * 31 + n.czxid; x = x * 31 + n.mzxid; x = x * 31 + n.pzxid;
            x = x * 31 + n.version; x = x * 31 + n.cversion; x = x * 31 + n.aversion; x = x * 31 + n.ephemeralOwner;
            h = h * 1_000_003 + x;
        }
        for (long s : new java.util.TreeSet<>(sessions.keySet())) h = h * 31 + s;
        return h;
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        if (b == null) { out.writeInt(-1); return; }
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n == -1) return null;
        if (n < 0 || n > in.available()) throw new IOException("bad length " + n);
        return in.readNBytes(n);
    }

    /** Whether the opcode's reply carries a Create2Response (create2, createContainer, createTTL). */
    public static boolean isCreate2Like(int opcode) {
        return opcode == Ops.CREATE2 || opcode == Ops.CREATE_CONTAINER || opcode == Ops.CREATE_TTL;
    }
}
