package io.faultline.checker.bench;

import io.faultline.checker.CheckResult;
import io.faultline.checker.CheckerOptions;
import io.faultline.checker.Verdict;
import io.faultline.checker.history.HistoryFormat;
import io.faultline.checker.history.HistoryReader;
import io.faultline.checker.history.HistoryWriter;
import io.faultline.checker.history.Op;
import io.faultline.checker.history.OpType;
import io.faultline.checker.linear.LinearizabilityChecker;
import io.faultline.checker.model.NilReads;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The linearizability checker's performance figures (issue 3), in one warmed-up JVM:
 * {@code java -Xmx2g -cp <checker classpath> io.faultline.checker.bench.LinearizabilityBench [shared/histories dir] [full|quick] [knossos,kv,etcd,etcd20,onekey,scale]}.
 */
public final class LinearizabilityBench {
    private record Loaded(String name, String model, String init, boolean expected, List<Op> ops) {
    }

    public static void main(String[] args) throws Exception {
        Path shared = Path.of(args.length > 0 ? args[0] : "../shared/histories");
        boolean quick = args.length > 1 && args[1].equals("quick");
        List<String> only = args.length > 2 ? List.of(args[2].split(",")) : List.of("knossos", "kv", "etcd", "etcd20", "onekey", "scale");
        System.out.printf("JVM %s, %d processors, max heap %d MiB%n", Runtime.version(), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        if (only.contains("knossos")) knossos(shared, quick);
        if (only.contains("kv")) porcupineKv(shared, quick);
        if (only.contains("etcd")) etcdLike(quick, 5);
        if (only.contains("etcd20")) etcdLike(quick, 20);
        if (only.contains("onekey")) oneKey(quick);
        if (only.contains("scale")) scale(quick);
    }

    static LinearizabilityChecker checker(String model, String init) {
        CheckerOptions o = CheckerOptions.forModel(model).withNilReads(NilReads.WILDCARD).withTimeLimit(Duration.ofMinutes(5));
        if (init != null) o = o.withExtra("init", init);
        return new LinearizabilityChecker(o);
    }

    static void knossos(Path shared, boolean quick) throws IOException {
        Path root = shared.resolve("knossos");
        List<String> lines = Files.readAllLines(root.resolve("VERDICTS.tsv"));
        List<Loaded> all = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split("\t");
            Path p = root.resolve(c[0]);
            if (!Files.exists(p)) continue;
            all.add(new Loaded(c[0], c[1], c[1].equals("mutex") ? null : c[2].replace(":", " "), Boolean.parseBoolean(c[3]), HistoryReader.read(p)));
        }
        List<LinearizabilityChecker> checkers = all.stream().map(l -> checker(l.model, l.init)).toList();
        int rounds = quick ? 20 : 200;
        long[] totals = new long[rounds];
        long ops = all.stream().mapToLong(l -> l.ops.size()).sum();
        for (int warm = 0; warm < rounds; warm++) runKnossos(all, checkers);
        for (int r = 0; r < rounds; r++) totals[r] = runKnossos(all, checkers);
        Arrays.sort(totals);
        System.out.printf("knossos: %d histories, %d entries: total per pass median %.2f ms, min %.2f ms, max %.2f ms (%d passes) -> %.1f M entries/s%n",
                all.size(), ops, totals[rounds / 2] / 1e6, totals[0] / 1e6, totals[rounds - 1] / 1e6, rounds, ops / (totals[rounds / 2] / 1e9) / 1e6);
    }

    private static long runKnossos(List<Loaded> all, List<LinearizabilityChecker> checkers) {
        long t0 = System.nanoTime();
        for (int i = 0; i < all.size(); i++) {
            CheckResult r = checkers.get(i).check(all.get(i).ops);
            if ((r.verdict() == Verdict.VALID) != all.get(i).expected) throw new AssertionError(all.get(i).name + ": " + r.summary());
        }
        return System.nanoTime() - t0;
    }

    static void porcupineKv(Path shared, boolean quick) throws IOException {
        for (String name : List.of("c50-ok", "c50-bad")) {
            List<Op> h = HistoryReader.read(shared.resolve("porcupine-kv").resolve(name + ".txt"));
            LinearizabilityChecker c = checker("kv", null);
            int rounds = quick ? 10 : 50;
            for (int i = 0; i < rounds; i++) c.check(h);
            long[] t = new long[rounds];
            Verdict v = null;
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                v = c.check(h).verdict();
                t[i] = System.nanoTime() - t0;
            }
            Arrays.sort(t);
            System.out.printf("porcupine-kv %s: %d entries, %s: median %.2f ms, max %.2f ms (%d runs) -> %.2f M entries/s%n", name, h.size(), v,
                    t[rounds / 2] / 1e6, t[rounds - 1] / 1e6, rounds, h.size() / (t[rounds / 2] / 1e9) / 1e6);
        }
    }

    /**
     * Jepsen etcd-like: one cas register, values 0..4, ~90 ops, worker threads whose crashes add process ids: 5 workers
     * (~20 process ids in all, as Jepsen's etcd test), or 20 concurrent workers (a much wider concurrency window).
     */
    static void etcdLike(boolean quick, int workers) {
        int n = quick ? 200 : 1000;
        List<List<Op>> histories = new ArrayList<>();
        long infos = 0, procs = 0, entries = 0;
        for (int i = 0; i < n; i++) {
            List<Op> h = HistoryGenerator.registerHistory(new HistoryGenerator.Spec(workers, 90, 1, 0.1, false, 5, true, 1000 + i));
            histories.add(h);
            infos += h.stream().filter(o -> o.type() == OpType.INFO).count();
            procs += h.stream().mapToLong(Op::process).distinct().count();
            entries += h.size();
        }
        LinearizabilityChecker c = checker("cas-register", "0");
        for (int w = 0; w < 3; w++) for (List<Op> h : histories) c.check(h);
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            Verdict v = c.check(histories.get(i)).verdict();
            t[i] = System.nanoTime() - t0;
            if (v != Verdict.VALID) throw new AssertionError("generated history " + i + " not valid: " + v);
        }
        long total = Arrays.stream(t).sum();
        Arrays.sort(t);
        System.out.printf("etcd-like (" + workers + " workers): %d histories, avg %.0f entries, %.1f processes, %.1f crashed ops: median %.3f ms, p99 %.2f ms, worst %.2f ms, total %.1f ms%n",
                n, entries / (double) n, procs / (double) n, infos / (double) n, t[n / 2] / 1e6, t[n * 99 / 100] / 1e6, t[n - 1] / 1e6, total / 1e6);
    }

    static void oneKey(boolean quick) {
        int ops = quick ? 20_000 : 100_000;
        List<Op> h = HistoryGenerator.registerHistory(new HistoryGenerator.Spec(10, ops, 1, 0.0, false, 5, true, 42));
        LinearizabilityChecker c = checker("cas-register", "0");
        c.check(HistoryGenerator.registerHistory(new HistoryGenerator.Spec(10, 10_000, 1, 0.0, false, 5, true, 7)));
        measure("one key: " + ops + " ops, 10 processes, no crashes, values 0..4", c, h, ops);
    }

    static void scale(boolean quick) throws IOException {
        int ops = quick ? 100_000 : 1_000_000;
        List<Op> h = HistoryGenerator.registerHistory(new HistoryGenerator.Spec(50, ops, 1000, 0.005, false, 5, true, 43));
        // The reader streams: write the history as JSON Lines and read it back, timing the read.
        Path tmp = Files.createTempFile("faultline-bench", ".jsonl");
        try {
            HistoryWriter.write(h, tmp, HistoryFormat.JSONL);
            long t0 = System.nanoTime();
            List<Op> back = HistoryReader.read(tmp);
            long readNs = System.nanoTime() - t0;
            System.out.printf("read %s entries of JSON Lines (%d MiB) in %.2f s -> %.2f M entries/s%n", back.size(), Files.size(tmp) >> 20,
                    readNs / 1e9, back.size() / (readNs / 1e9) / 1e6);
            h = back;
        } finally {
            Files.deleteIfExists(tmp);
        }
        LinearizabilityChecker c = checker("cas-register", "0");
        c.check(HistoryGenerator.registerHistory(new HistoryGenerator.Spec(50, 100_000, 1000, 0.01, false, 5, true, 8)));
        long crashed = h.stream().filter(o -> o.type() == OpType.INFO).count();
        measure(String.format("scale: %d ops, 1000 keys, 50 processes, %d crashed (%.2f%%)", ops, crashed, 100.0 * crashed / ops), c, h, ops);
    }

    private static void measure(String label, LinearizabilityChecker c, List<Op> h, int ops) {
        System.gc();
        long before = heapUsed();
        resetPeaks();
        long t0 = System.nanoTime();
        CheckResult r = c.check(h);
        long ns = System.nanoTime() - t0;
        long peak = peakHeap();
        System.out.printf("%s: %s in %.2f s -> %.0f k ops/s; heap before %d MiB (history loaded), peak during check %d MiB, configurations %s%n",
                label, r.verdict(), ns / 1e9, ops / (ns / 1e9) / 1e3, before >> 20, peak >> 20, r.details().get("statesExplored"));
        if (r.verdict() != Verdict.VALID) throw new AssertionError(label + ": " + r.summary());
    }

    private static long heapUsed() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) if (p.getType() == MemoryType.HEAP) p.resetPeakUsage();
    }

    /** Sum of the heap pools' peaks: an upper bound of the peak heap in use. */
    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) if (p.getType() == MemoryType.HEAP) sum += p.getPeakUsage().getUsed();
        return sum;
    }
}
