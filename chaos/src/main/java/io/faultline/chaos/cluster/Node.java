package io.faultline.chaos.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * One server of a {@link Cluster}. Lifecycle calls are synchronous: when they return, the process
 * or container is in the requested state (started means launched, not yet serving: use
 * {@link Cluster#awaitHealthy}).
 */
public interface Node {
    /** The server id (myid): voters 1..voters, observers after them. */
    int id();

    boolean voter();

    /** Launches the node if it is not running; its data directory is kept. */
    void start() throws IOException;

    /** Graceful stop (SIGTERM / docker stop), waits until it is gone. No-op if not running. */
    void stop();

    /** SIGKILL (docker kill). No-op if not running. */
    void kill();

    /** Freezes the node (SIGSTOP, or docker pause): sockets stay open, nothing is answered. */
    void pause();

    /** Undoes {@link #pause()}. */
    void resume();

    /** Stops (gracefully) and starts again, keeping data. */
    default void restart() throws IOException {
        stop();
        start();
    }

    /** Deletes the node's data (snapshots, logs, epochs) but not myid; the node must be down. */
    void wipe() throws IOException;

    /** True while launched and not exited (paused counts as running). */
    boolean running();

    boolean paused();

    /** The node's console output (stdout and stderr, appended across restarts). */
    Path logFile();

    /** The node's data directory (dataDir in zoo.cfg). */
    Path dataDir();

    /** The zoo.cfg this node runs with. */
    Path configFile();

    /** The real address of the node's quorum (leader-learner) port. */
    InetSocketAddress peerAddress();

    /** The real address of the node's election port. */
    InetSocketAddress electionAddress();

    /** The real client address (not proxied): for diagnostics and four-letter words. */
    InetSocketAddress clientAddress();

    /** Where clients reach this node: through its client proxy. */
    InetSocketAddress proxiedClientAddress();

    /** Role and zxid from srvr/mntr on the real client address; UNREACHABLE if it does not answer. */
    NodeStatus status();
}
