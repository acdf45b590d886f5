package io.faultline.chaos.nemesis;

import io.faultline.chaos.cluster.Cluster;
import io.faultline.chaos.cluster.LinkFault;
import io.faultline.chaos.cluster.Network;
import io.faultline.chaos.cluster.Node;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The stock nemeses: partitions (random halves, majorities ring, isolate one, isolate the leader,
 * bridge, one-way), kills (one, the leader, a minority, all) healed by restart, pauses (one, the
 * leader), latency with jitter, bandwidth squeeze, connection resets; and their composition.
 * Network faults are toxics on the cluster's proxies under a tag unique to the nemesis instance.
 */
public final class Nemeses {
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final Duration LEADER_WAIT = Duration.ofSeconds(30);

    private Nemeses() {}

    // ---------------------------------------------------------------- partitions

    /** Splits the nodes at random into two halves (the smaller one first) and cuts every link between them. */
    public static Nemesis partitionRandomHalves(Cluster cluster) {
        return new NetworkNemesis("partition-halves", cluster) {
            @Override
            Fault apply(Network net, String tag, Random random) throws IOException {
                List<Integer> ids = shuffledIds(cluster, random);
                int cut = ids.size() / 2;
                List<Integer> a = ids.subList(0, cut), b = ids.subList(cut, ids.size());
                net.partition(tag, List.of(a, b));
                return new Fault(kind, List.of(names(a), names(b)), "");
            }
        };
    }

    /**
     * Jepsen's majorities ring: nodes on a random ring, each hears only itself and the next
     * majority−1 nodes on the ring, so every node sees a majority and no two see the same one.
     * Blocks are one-way (a node may hear a peer that does not hear it).
     */
    public static Nemesis partitionMajoritiesRing(Cluster cluster) {
        return new NetworkNemesis("partition-majorities-ring", cluster) {
            @Override
            Fault apply(Network net, String tag, Random random) throws IOException {
                List<Integer> ring = shuffledIds(cluster, random);
                int n = ring.size(), majority = n / 2 + 1;
                List<String> views = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int node = ring.get(i);
                    List<Integer> hears = new ArrayList<>();
                    for (int k = 1; k < majority; k++) hears.add(ring.get((i + k) % n));
                    for (int other : ring) {
                        if (other != node && !hears.contains(other)) net.block(tag, other, node);
                    }
                    views.add("n" + node + " hears " + names(hears));
                }
                return new Fault(kind, List.of(names(ring)), String.join("; ", views));
            }
        };
    }

    /** Cuts one random node from all others. */
    public static Nemesis isolateOne(Cluster cluster) {
        return new NetworkNemesis("isolate-one", cluster) {
            @Override
            Fault apply(Network net, String tag, Random random) throws IOException {
                int victim = shuffledIds(cluster, random).getFirst();
                net.isolate(tag, victim);
                return new Fault(kind, List.of("n" + victim), "");
            }
        };
    }

    /** Cuts the current leader from all others. */
    public static Nemesis isolateLeader(Cluster cluster) {
        return new NetworkNemesis("isolate-leader", cluster) {
            @Override
            Fault apply(Network net, String tag, Random random) throws Exception {
                int leader = cluster.awaitLeader(LEADER_WAIT).id();
                net.isolate(tag, leader);
                return new Fault(kind, List.of("n" + leader), "");
            }
        };
    }

    /** Two halves that cannot talk, joined by one bridge node that talks to both (needs 3+ nodes). */
    public static Nemesis bridge(Cluster cluster) {
        return new NetworkNemesis("bridge", cluster) {
            @Override
            Fault apply(Network net, String tag, Random random) throws IOException {
                List<Integer> ids = shuffledIds(cluster, random);
                if (ids.size() < 3) throw new IllegalStateException("bridge needs at least 3 nodes");
                int bridge = ids.getFirst();
                List<Integer> rest = ids.subList(1, ids.size());
                int cut = rest.size() / 2;
                List<Integer> a = rest.subList(0, cut), b = rest.subList(cut, rest.size());
                net.partition(tag, List.of(a, b));
                return new Fault(kind, List.of(names(a), "n" + bridge, names(b)), "n" + bridge + " bridges");
            }
        };
    }

    /** One random node can hear everyone, but nothing it sends to the other nodes arrives. */
    public static Nemesis oneWayMute(Cluster cluster) {
        return new NetworkNemesis("one-way-mute", cluster) {
            @Override
            Fault apply(Network net, String tag, Random random) throws IOException {
                int victim = shuffledIds(cluster, random).getFirst();
                for (Node other : cluster.nodes()) if (other.id() != victim) net.block(tag, victim, other.id());
                return new Fault(kind, List.of("n" + victim), "n" + victim + " -> * dropped; * -> n" + victim + " flows");
            }
        };
    }

    /** One random node can talk to everyone, but hears nothing from the other nodes. */
    public static Nemesis oneWayDeaf(Cluster cluster) {
        return new NetworkNemesis("one-way-deaf", cluster) {
            @Override
            Fault apply(Network net, String tag, Random random) throws IOException {
                int victim = shuffledIds(cluster, random).getFirst();
                for (Node other : cluster.nodes()) if (other.id() != victim) net.block(tag, other.id(), victim);
                return new Fault(kind, List.of("n" + victim), "* -> n" + victim + " dropped; n" + victim + " -> * flows");
            }
        };
    }

    // ---------------------------------------------------------------- link quality

    /** Every peer link (both ways) delayed by {@code latencyMs} ± {@code jitterMs}. */
    public static Nemesis latency(Cluster cluster, long latencyMs, long jitterMs) {
        return allPeerLinks(cluster, "latency", new LinkFault.Latency(latencyMs, jitterMs), latencyMs + "ms ± " + jitterMs + "ms");
    }

    /** Every peer link (both ways) squeezed to {@code kilobytesPerSecond} per connection. */
    public static Nemesis bandwidth(Cluster cluster, long kilobytesPerSecond) {
        return allPeerLinks(cluster, "bandwidth", new LinkFault.Bandwidth(kilobytesPerSecond), kilobytesPerSecond + " KB/s");
    }

    /** Connections to and from one random node reset (RST) as soon as they carry data. */
    public static Nemesis resets(Cluster cluster) {
        return new NetworkNemesis("resets", cluster) {
            @Override
            Fault apply(Network net, String tag, Random random) throws IOException {
                int victim = shuffledIds(cluster, random).getFirst();
                for (Node other : cluster.nodes()) {
                    if (other.id() == victim) continue;
                    net.apply(tag, victim, other.id(), new LinkFault.Reset(0));
                    net.apply(tag, other.id(), victim, new LinkFault.Reset(0));
                }
                return new Fault(kind, List.of("n" + victim), "reset_peer on every peer link of n" + victim);
            }
        };
    }

    private static Nemesis allPeerLinks(Cluster cluster, String kind, LinkFault fault, String detail) {
        return new NetworkNemesis(kind, cluster) {
            @Override
            Fault apply(Network net, String tag, Random random) throws IOException {
                for (Node a : cluster.nodes()) {
                    for (Node b : cluster.nodes()) if (a.id() != b.id()) net.apply(tag, a.id(), b.id(), fault);
                }
                return new Fault(kind, List.of(names(ids(cluster))), detail);
            }
        };
    }

    // ---------------------------------------------------------------- processes

    /** Which nodes a kill or pause hits. */
    public enum Target { ONE, LEADER, MINORITY, ALL }

    /** SIGKILLs the target nodes; heal starts them again (data kept). */
    public static Nemesis kill(Cluster cluster, Target target) {
        return new ProcessNemesis("kill-" + target.name().toLowerCase(), cluster, target) {
            @Override
            void hurt(Node n) {
                n.kill();
            }

            @Override
            void cure(Node n) throws IOException {
                n.start();
            }
        };
    }

    /** SIGSTOPs (or docker-pauses) the target nodes; heal resumes them. */
    public static Nemesis pause(Cluster cluster, Target target) {
        return new ProcessNemesis("pause-" + target.name().toLowerCase(), cluster, target) {
            @Override
            void hurt(Node n) {
                n.pause();
            }

            @Override
            void cure(Node n) {
                n.resume();
            }
        };
    }

    // ---------------------------------------------------------------- composition

    /** Each invocation picks one of {@code nemeses} at random; heal heals the one picked. */
    public static Nemesis oneOf(List<Nemesis> nemeses) {
        if (nemeses.isEmpty()) throw new IllegalArgumentException("no nemeses");
        List<Nemesis> all = List.copyOf(nemeses);
        return new Nemesis() {
            private Nemesis active;

            @Override
            public String name() {
                return all.stream().map(Nemesis::name).collect(Collectors.joining("|", "one-of(", ")"));
            }

            @Override
            public synchronized Fault invoke(Random random) throws Exception {
                if (active != null) heal();
                active = all.get(random.nextInt(all.size()));
                return active.invoke(random);
            }

            @Override
            public synchronized void heal() throws Exception {
                if (active == null) return;
                try {
                    active.heal();
                } finally {
                    active = null;
                }
            }
        };
    }

    /** Invokes every one of {@code nemeses} together; heal heals them in reverse order. */
    public static Nemesis allOf(List<Nemesis> nemeses) {
        if (nemeses.isEmpty()) throw new IllegalArgumentException("no nemeses");
        List<Nemesis> all = List.copyOf(nemeses);
        return new Nemesis() {
            @Override
            public String name() {
                return all.stream().map(Nemesis::name).collect(Collectors.joining("+", "all-of(", ")"));
            }

            @Override
            public Fault invoke(Random random) throws Exception {
                List<String> kinds = new ArrayList<>(), targets = new ArrayList<>(), details = new ArrayList<>();
                for (Nemesis n : all) {
                    Fault f = n.invoke(random);
                    kinds.add(f.kind());
                    targets.addAll(f.targets());
                    if (!f.detail().isEmpty()) details.add(f.detail());
                }
                return new Fault(String.join("+", kinds), targets, String.join("; ", details));
            }

            @Override
            public void heal() throws Exception {
                Exception first = null;
                for (Nemesis n : all.reversed()) {
                    try {
                        n.heal();
                    } catch (Exception e) {
                        if (first == null) first = e;
                    }
                }
                if (first != null) throw first;
            }
        };
    }

    // ---------------------------------------------------------------- helpers

    private abstract static class NetworkNemesis implements Nemesis {
        final String kind;
        final Cluster cluster;
        private final String tag;
        private boolean active;

        NetworkNemesis(String kind, Cluster cluster) {
            this.kind = kind;
            this.cluster = cluster;
            this.tag = "nemesis-" + kind + "-" + INSTANCES.incrementAndGet();
        }

        abstract Fault apply(Network net, String tag, Random random) throws Exception;

        @Override
        public String name() {
            return kind;
        }

        @Override
        public synchronized Fault invoke(Random random) throws Exception {
            if (active) heal();
            active = true;
            try {
                return apply(cluster.network(), tag, random);
            } catch (Exception e) {
                heal(); // leave no half-applied fault behind
                throw e;
            }
        }

        @Override
        public synchronized void heal() throws IOException {
            if (!active) return;
            cluster.network().heal(tag);
            active = false;
        }
    }

    private abstract static class ProcessNemesis implements Nemesis {
        final String kind;
        final Cluster cluster;
        final Target target;
        private List<Node> victims = List.of();

        ProcessNemesis(String kind, Cluster cluster, Target target) {
            this.kind = kind;
            this.cluster = cluster;
            this.target = target;
        }

        abstract void hurt(Node n) throws Exception;

        abstract void cure(Node n) throws Exception;

        @Override
        public String name() {
            return kind;
        }

        @Override
        public synchronized Fault invoke(Random random) throws Exception {
            if (!victims.isEmpty()) heal();
            List<Node> nodes = new ArrayList<>(cluster.nodes());
            Collections.shuffle(nodes, random);
            victims = switch (target) {
                case ONE -> List.of(nodes.getFirst());
                case LEADER -> List.of(cluster.awaitLeader(LEADER_WAIT));
                case MINORITY -> List.copyOf(nodes.subList(0, Math.max(1, (nodes.size() - 1) / 2)));
                case ALL -> List.copyOf(nodes);
            };
            for (Node n : victims) hurt(n);
            return new Fault(kind, victims.stream().map(n -> "n" + n.id()).toList(), "");
        }

        @Override
        public synchronized void heal() throws Exception {
            Exception first = null;
            for (Node n : victims) {
                try {
                    cure(n);
                } catch (Exception e) {
                    if (first == null) first = e;
                }
            }
            victims = List.of();
            if (first != null) throw first;
        }
    }

    static List<Integer> ids(Cluster cluster) {
        return cluster.nodes().stream().map(Node::id).toList();
    }

    static List<Integer> shuffledIds(Cluster cluster, Random random) {
        List<Integer> ids = new ArrayList<>(ids(cluster));
        Collections.shuffle(ids, random);
        return ids;
    }

    static String names(List<Integer> ids) {
        return ids.stream().sorted().map(i -> "n" + i).collect(Collectors.joining(","));
    }
}
