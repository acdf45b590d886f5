package io.faultline.chaos.cluster;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxies of one cluster and the faults on them. Every directed peer pair i→j has two proxies
 * (quorum and election port of j, dialled by i), every node j one client proxy. A fault on "bytes
 * from a to b" is a toxic on the upstream of a's proxies to b <em>and</em> on the downstream of
 * b's proxies to a, because one TCP connection carries both directions and ZooKeeper keeps only one
 * election connection per pair, dialled by the larger sid. Node id {@link #CLIENTS} (0) stands for
 * all clients. Faults are grouped by a tag, so each can be healed on its own.
 */
public final class Network {
    private static final Logger LOG = LoggerFactory.getLogger(Network.class);
    /** Pseudo node id for "all clients" in {@link #apply}. */
    public static final int CLIENTS = 0;
    private static final String TAG_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,60}";

    /** One toxic this network added: which fault (tag) on which link it belongs to. */
    public record AppliedToxic(String tag, int from, int to, String proxy, String stream, String toxic, LinkFault fault) {}

    private final ClusterSpec spec;
    private final ToxiproxyClient client;
    private final Map<String, Proxy> proxies = new LinkedHashMap<>();
    private final List<AppliedToxic> applied = new ArrayList<>();
    private final Map<AppliedToxic, Toxic> toxics = new LinkedHashMap<>();

    public Network(ClusterSpec spec, ToxiproxyClient client) {
        this.spec = spec;
        this.client = client;
        // toxiproxy-java sets no socket timeouts; a stuck API call must not hang a test forever.
        if (System.getProperty("sun.net.client.defaultConnectTimeout") == null) {
            System.setProperty("sun.net.client.defaultConnectTimeout", "10000");
        }
        if (System.getProperty("sun.net.client.defaultReadTimeout") == null) {
            System.setProperty("sun.net.client.defaultReadTimeout", "30000");
        }
    }

    public ToxiproxyClient client() {
        return client;
    }

    public String clientProxyName(int node) {
        return spec.name() + ".client-n" + node;
    }

    public String peerProxyName(int from, int to, boolean election) {
        return spec.name() + ".n" + from + "-n" + to + (election ? ".election" : ".quorum");
    }

    /** Creates every proxy of the cluster (replacing leftovers of the same name). */
    public synchronized void create() throws IOException {
        AddressPlan a = spec.addresses();
        int n = spec.size();
        for (int to = 1; to <= n; to++) {
            createProxy(clientProxyName(to), a.proxiedClientAddress(to), a.clientAddress(to));
            if (spec.standalone()) continue;
            for (int from = 1; from <= n; from++) {
                if (from == to) continue;
                createProxy(peerProxyName(from, to, false), a.proxiedQuorumAddress(from, to), a.quorumAddress(to));
                createProxy(peerProxyName(from, to, true), a.proxiedElectionAddress(from, to), a.electionAddress(to));
            }
        }
    }

    private void createProxy(String name, InetSocketAddress listen, InetSocketAddress upstream) throws IOException {
        Proxy old = client.getProxyOrNull(name);
        if (old != null) old.delete();
        proxies.put(name, client.createProxy(name, hostPort(listen), hostPort(upstream)));
    }

    /** Deletes every proxy of the cluster (closing their connections). Best effort. */
    public synchronized void destroy() {
        for (Proxy p : proxies.values()) {
            try {
                p.delete();
            } catch (IOException e) {
                LOG.warn("could not delete proxy {}: {}", p.getName(), e.toString());
            }
        }
        proxies.clear();
        applied.clear();
        toxics.clear();
    }

    /** Puts {@code fault} on the bytes flowing from node {@code from} to node {@code to} (either may be {@link #CLIENTS}). */
    public synchronized void apply(String tag, int from, int to, LinkFault fault) throws IOException {
        checkTag(tag);
        for (Segment s : segments(from, to)) {
            AppliedToxic key = new AppliedToxic(tag, from, to, s.proxy(), s.direction() == ToxicDirection.UPSTREAM ? "up" : "down",
                    tag + "-" + (s.direction() == ToxicDirection.UPSTREAM ? "up" : "down"), fault);
            if (toxics.keySet().stream().anyMatch(k -> k.proxy().equals(key.proxy()) && k.toxic().equals(key.toxic()))) continue;
            Proxy proxy = proxy(s.proxy());
            Toxic toxic = switch (fault) {
                case LinkFault.Drop d -> proxy.toxics().timeout(key.toxic(), s.direction(), 0);
                case LinkFault.Stall st -> proxy.toxics().bandwidth(key.toxic(), s.direction(), 0);
                case LinkFault.Latency l -> {
                    var t = proxy.toxics().latency(key.toxic(), s.direction(), l.latencyMs());
                    yield l.jitterMs() > 0 ? t.setJitter(l.jitterMs()) : t;
                }
                case LinkFault.Bandwidth b -> proxy.toxics().bandwidth(key.toxic(), s.direction(), b.kilobytesPerSecond());
                case LinkFault.Reset r -> proxy.toxics().resetPeer(key.toxic(), s.direction(), r.afterMs());
            };
            applied.add(key);
            toxics.put(key, toxic);
        }
    }

    /** Drops everything {@code from} sends to {@code to}; the other direction keeps flowing. */
    public void block(String tag, int from, int to) throws IOException {
        apply(tag, from, to, LinkFault.DROP);
    }

    /** Cuts every link between nodes of different components, both ways. Clients are not affected. */
    public void partition(String tag, Collection<? extends Collection<Integer>> components) throws IOException {
        List<List<Integer>> parts = components.stream().map(c -> List.copyOf(c)).toList();
        for (int i = 0; i < parts.size(); i++) {
            for (int j = 0; j < parts.size(); j++) {
                if (i == j) continue;
                for (int a : parts.get(i)) {
                    for (int b : parts.get(j)) apply(tag, a, b, LinkFault.DROP);
                }
            }
        }
    }

    /** Cuts {@code node} from every other node, both ways. */
    public void isolate(String tag, int node) throws IOException {
        List<Integer> rest = new ArrayList<>();
        for (int i = 1; i <= spec.size(); i++) if (i != node) rest.add(i);
        partition(tag, List.of(List.of(node), rest));
    }

    /** Removes every toxic added under {@code tag}. */
    public synchronized void heal(String tag) throws IOException {
        IOException first = null;
        for (AppliedToxic key : List.copyOf(applied)) {
            if (!key.tag().equals(tag)) continue;
            try {
                toxics.get(key).remove();
            } catch (IOException e) {
                if (first == null) first = e;
                LOG.warn("could not remove toxic {} on {}: {}", key.toxic(), key.proxy(), e.toString());
            }
            applied.remove(key);
            toxics.remove(key);
        }
        if (first != null) throw first;
    }

    /** Removes every toxic this network added. */
    public synchronized void healAll() throws IOException {
        for (String tag : activeTags()) heal(tag);
    }

    public synchronized Set<String> activeTags() {
        Set<String> tags = new TreeSet<>();
        applied.forEach(a -> tags.add(a.tag()));
        return tags;
    }

    public synchronized List<AppliedToxic> active() {
        return List.copyOf(applied);
    }

    private Proxy proxy(String name) {
        Proxy p = proxies.get(name);
        if (p == null) throw new IllegalStateException("no proxy " + name + " (cluster not started?)");
        return p;
    }

    private record Segment(String proxy, ToxicDirection direction) {}

    private List<Segment> segments(int from, int to) {
        int n = spec.size();
        if (from == to) throw new IllegalArgumentException("a link needs two ends: " + from);
        if (from < 0 || from > n || to < 0 || to > n) throw new IllegalArgumentException("no node " + from + " or " + to);
        if (from == CLIENTS) return List.of(new Segment(clientProxyName(to), ToxicDirection.UPSTREAM));
        if (to == CLIENTS) return List.of(new Segment(clientProxyName(from), ToxicDirection.DOWNSTREAM));
        if (spec.standalone()) return List.of();
        return List.of(
                new Segment(peerProxyName(from, to, false), ToxicDirection.UPSTREAM),
                new Segment(peerProxyName(from, to, true), ToxicDirection.UPSTREAM),
                new Segment(peerProxyName(to, from, false), ToxicDirection.DOWNSTREAM),
                new Segment(peerProxyName(to, from, true), ToxicDirection.DOWNSTREAM));
    }

    private static void checkTag(String tag) {
        if (tag == null || !tag.matches(TAG_PATTERN)) throw new IllegalArgumentException("fault tag must match " + TAG_PATTERN + ": " + tag);
    }

    static String hostPort(InetSocketAddress a) {
        return a.getHostString() + ":" + a.getPort();
    }

    static UncheckedIOException unchecked(IOException e) {
        return new UncheckedIOException(e);
    }
}
