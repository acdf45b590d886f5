package io.faultline.workloads.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.chaos.cluster.Cluster;
import io.faultline.chaos.cluster.LinkFault;
import io.faultline.chaos.cluster.Node;
import io.faultline.workloads.gen.Invocation;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Faults on a chaos cluster, chosen with a seeded random: partition (random minority | majority),
 * kill / pause a random node, leader-kill, leader-partition (isolate the leader), latency on every
 * peer link. start-X begins a fault, stop-X ends it. Every action is appended to nemesis.jsonl.
 */
final class ChaosNemesis implements NemesisDriver {
    private static final Logger log = LoggerFactory.getLogger(ChaosNemesis.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Cluster cluster;
    private final SplittableRandom random;
    private final BufferedWriter events;
    private final Map<String, List<Integer>> active = new LinkedHashMap<>();

    ChaosNemesis(Cluster cluster, long seed, Path eventsFile) throws IOException {
        this.cluster = cluster;
        this.random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        this.events = Files.newBufferedWriter(eventsFile, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized Object invoke(Invocation op) throws Exception {
        String f = op.f();
        boolean start = f.startsWith("start-");
        String fault = f.substring(start ? 6 : 5);
        Object result = start ? start(fault) : stop(fault);
        event(f, result);
        return result;
    }

    private Object start(String fault) throws Exception {
        if (active.containsKey(fault)) return "already active";
        List<Integer> ids = cluster.nodes().stream().map(Node::id).toList();
        switch (fault) {
            case "partition" -> {
                List<Integer> shuffled = shuffled(ids);
                List<Integer> minority = shuffled.subList(0, ids.size() / 2);
                List<Integer> majority = shuffled.subList(ids.size() / 2, ids.size());
                cluster.network().partition("partition", List.of(minority, majority));
                active.put(fault, List.copyOf(minority));
                return List.of(minority.stream().map(i -> "n" + i).toList(), majority.stream().map(i -> "n" + i).toList());
            }
            case "leader-partition" -> {
                Node leader = cluster.leader().orElse(null);
                if (leader == null) return "no leader to isolate";
                cluster.network().isolate("leader-partition", leader.id());
                active.put(fault, List.of(leader.id()));
                return "isolated n" + leader.id();
            }
            case "kill", "leader-kill" -> {
                Node victim = fault.equals("kill") ? randomRunning() : cluster.leader().orElse(null);
                if (victim == null) return "no node to kill";
                victim.kill();
                active.put(fault, List.of(victim.id()));
                return "killed n" + victim.id();
            }
            case "pause" -> {
                Node victim = randomRunning();
                if (victim == null) return "no node to pause";
                victim.pause();
                active.put(fault, List.of(victim.id()));
                return "paused n" + victim.id();
            }
            case "latency" -> {
                for (int a : ids) for (int b : ids) if (a != b) cluster.network().apply("latency", a, b, new LinkFault.Latency(150, 50));
                active.put(fault, ids);
                return "150±50 ms on every peer link";
            }
            default -> throw new IllegalArgumentException("unknown fault " + fault);
        }
    }

    private Object stop(String fault) throws Exception {
        List<Integer> victims = active.remove(fault);
        if (victims == null) return "not active";
        switch (fault) {
            case "partition", "leader-partition", "latency" -> cluster.network().heal(fault);
            case "kill", "leader-kill" -> {
                for (int id : victims) cluster.node(id).start();
                return "restarted " + victims.stream().map(i -> "n" + i).toList();
            }
            case "pause" -> {
                for (int id : victims) cluster.node(id).resume();
                return "resumed " + victims.stream().map(i -> "n" + i).toList();
            }
            default -> throw new IllegalArgumentException("unknown fault " + fault);
        }
        return "healed";
    }

    private Node randomRunning() {
        List<Node> up = new ArrayList<>(cluster.nodes().stream().filter(n -> n.running() && !n.paused()).toList());
        return up.isEmpty() ? null : up.get(random.nextInt(up.size()));
    }

    private List<Integer> shuffled(List<Integer> ids) {
        List<Integer> l = new ArrayList<>(ids);
        for (int i = l.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Integer t = l.get(i);
            l.set(i, l.get(j));
            l.set(j, t);
        }
        return l;
    }

    @Override
    public synchronized void healAll() throws Exception {
        for (String fault : List.copyOf(active.keySet())) {
            try {
                stop(fault);
            } catch (Exception e) {
                log.warn("healing {} failed", fault, e);
            }
        }
        cluster.network().healAll();
        for (Node n : cluster.nodes()) {
            n.resume();
            if (!n.running()) n.start();
        }
        event("heal-all", "healed");
        try {
            cluster.awaitHealthy(Duration.ofSeconds(30));
            event("healthy", "every node serves again");
        } catch (java.util.concurrent.TimeoutException e) {
            event("healthy", "not healthy 30 s after healing");
        }
    }

    @Override
    public synchronized List<String> activeFaults() {
        return List.copyOf(active.keySet());
    }

    private void event(String f, Object value) {
        try {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("wall-time", Instant.now().toString());
            m.put("f", f);
            m.put("value", value);
            events.write(JSON.writeValueAsString(m));
            events.newLine();
            events.flush();
        } catch (IOException e) {
            log.warn("could not record nemesis event", e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            events.close();
        } catch (IOException e) {
            log.warn("closing nemesis.jsonl", e);
        }
    }
}
