package io.faultline.server.tree;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;

/** One znode. Mutated only by {@link DataTree#apply}, on the core thread. */
public final class Node {
    /** Internal ephemeralOwner markers, as ZooKeeper encodes them (shown to clients as 0). */
    public static final long CONTAINER_OWNER = 0x8000000000000000L;
    public static final long TTL_MASK = 0xFF00000000000000L;

    byte[] data;
    List<ACL> acl;
    long czxid, mzxid, ctime, mtime, pzxid;
    int version, aversion;
    /** Internal creation counter C: creates only, never lowered by deletes. Clients see 2*C - numChildren. */
    int cversion;
    long ephemeralOwner;
    // HashSet(8), like ZooKeeper, so that getChildren's (unspecified) order matches for the same history.
    final Set<String> children = new HashSet<>(8);

    Node(byte[] data, List<ACL> acl) {
        this.data = data;
        this.acl = acl;
    }

    public byte[] data() { return data; }
    public List<ACL> acl() { return acl; }
    public Set<String> children() { return children; }
    public int version() { return version; }
    public int aversion() { return aversion; }
    public int internalCversion() { return cversion; }
    public long rawEphemeralOwner() { return ephemeralOwner; }
    public long mzxid() { return mzxid; }
    public long pzxid() { return pzxid; }
    public long mtime() { return mtime; }

    public boolean isContainer() { return ephemeralOwner == CONTAINER_OWNER; }
    public boolean isTtl() { return ephemeralOwner != CONTAINER_OWNER && (ephemeralOwner & TTL_MASK) == TTL_MASK; }
    public long ttl() { return ephemeralOwner & 0xFFFFFFFFFFL; }

    /** Session that owns this node if it is a plain ephemeral, else 0. */
    public long ephemeralSession() { return isContainer() || isTtl() ? 0 : ephemeralOwner; }

    public Stat stat() {
        return new Stat(czxid, mzxid, ctime, mtime, version, 2 * cversion - children.size(), aversion,
                ephemeralSession(), data == null ? 0 : data.length, children.size(), pzxid);
    }
}
