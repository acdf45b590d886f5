package io.faultline.server.tree;

/** A change that may fire watches. {@code eventType} is the WatcherEvent type (1 created .. 4 childrenChanged). */
public record WatchTrigger(String path, int eventType, long zxid) {
    public static final int NODE_CREATED = 1, NODE_DELETED = 2, NODE_DATA_CHANGED = 3, NODE_CHILDREN_CHANGED = 4;
}
