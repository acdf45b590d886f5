package io.faultline.chaos.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Clusters not yet closed; a JVM shutdown hook closes them (tests that fail, Ctrl-C, SIGTERM). */
public final class LiveClusters {
    private static final Set<Cluster> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(LiveClusters::closeAll, "faultline-cluster-cleanup"));
    }

    private LiveClusters() {}

    public static void register(Cluster cluster) {
        LIVE.add(cluster);
    }

    public static void unregister(Cluster cluster) {
        LIVE.remove(cluster);
    }

    /** Closes every live cluster of this JVM. */
    public static void closeAll() {
        for (Cluster c : new ArrayList<>(LIVE)) {
            try {
                c.close();
            } catch (RuntimeException e) {
                System.err.println("[faultline] cleanup of cluster " + c.spec().name() + " failed: " + e);
            }
        }
    }

    public static List<Cluster> live() {
        return List.copyOf(LIVE);
    }
}
