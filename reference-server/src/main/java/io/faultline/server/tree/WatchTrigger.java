package io.faultline.server.tree;

import java.util.List;
import org.apache.zookeeper.data.ACL;

/**
 * A change that may fire watches. {@code eventType} is the WatcherEvent type (1 created .. 4 childrenChanged);
 * {@code acl} is the ACL of the node the event is about (notifications go only to connections with READ).
 */
public record WatchTrigger(String path, int eventType, long zxid, List<ACL> acl) {
    public static final int NODE_CREATED = 1, NODE_DELETED = 2, NODE_DATA_CHANGED = 3, NODE_CHILDREN_CHANGED = 4;
}
