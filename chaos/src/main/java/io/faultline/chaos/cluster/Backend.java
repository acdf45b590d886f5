package io.faultline.chaos.cluster;

/** Where the nodes of a cluster live. */
public enum Backend {
    /** Each node a child JVM of this one (the default). */
    PROCESS,
    /** Each node a container (Testcontainers, host networking) built on the local base image. */
    CONTAINER
}
