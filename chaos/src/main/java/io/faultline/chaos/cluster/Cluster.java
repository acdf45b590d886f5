package io.faultline.chaos.cluster;

import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * A set of nodes running one coordination service, every link (peer to peer, client to node)
 * through its own Toxiproxy proxy. {@link #close()} kills every node, deletes the proxies and the
 * data directories (logs are kept until a cluster of the same name starts again); a JVM shutdown
 * hook does the same for clusters still open at exit.
 */
public interface Cluster extends AutoCloseable {

    /** Builds (does not start) a cluster on the backend the spec names, driving Toxiproxy through {@code toxiproxy}. */
    static Cluster create(ClusterSpec spec, ToxiproxyClient toxiproxy) {
        return switch (spec.backend()) {
            case PROCESS -> new ProcessCluster(spec, toxiproxy);
            case CONTAINER -> new io.faultline.chaos.container.ContainerCluster(spec, toxiproxy);
        };
    }

    ClusterSpec spec();

    /** Creates the proxies, writes each node's zoo.cfg and launches every node. */
    void start() throws IOException;

    /** Stops every node gracefully; proxies and data stay. */
    void stop();

    List<Node> nodes();

    /** The node with this id. */
    Node node(int id);

    /** The single node that reports itself leader (or standalone); empty if none or several do. */
    Optional<Node> leader();

    /** Every node that currently reports itself leader (two while a deposed leader has not noticed). */
    List<Node> leaders();

    /** srvr/mntr status of every node, asked in parallel. */
    Map<Integer, NodeStatus> statuses();

    /** Waits until {@link #leader()} is present. */
    Node awaitLeader(Duration timeout) throws TimeoutException, InterruptedException;

    /**
     * Waits until every running node serves: exactly one leader among the voters (or a standalone
     * node), every other running voter a follower, every running observer an observer.
     */
    void awaitHealthy(Duration timeout) throws TimeoutException, InterruptedException;

    /** Connect string through the client proxies, e.g. {@code 127.0.6.1:2181,127.0.6.2:2181,...}. */
    String clientConnectString();

    /** Connect string for a subset of nodes, through their client proxies. */
    String clientConnectString(List<Integer> nodeIds);

    /** The proxies and the faults on them. */
    Network network();

    /** Kills every node, deletes the proxies and the data. Idempotent. */
    @Override
    void close();
}
