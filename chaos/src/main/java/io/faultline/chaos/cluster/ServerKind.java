package io.faultline.chaos.cluster;

/** Which coordination service the nodes of a cluster run. */
public enum ServerKind {
    /** faultline's own reference server ({@code io.faultline.server.Main <zoo.cfg>}). */
    REFERENCE,
    /** Real Apache ZooKeeper 3.9.x ({@code QuorumPeerMain}) from the current classpath. */
    ZOOKEEPER
}
