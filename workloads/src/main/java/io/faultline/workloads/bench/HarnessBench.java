package io.faultline.workloads.bench;

import io.faultline.checker.history.OpType;
import io.faultline.workloads.client.NoopClient;
import io.faultline.workloads.gen.Gen;
import io.faultline.workloads.gen.Generator;
import io.faultline.workloads.gen.Invocation;
import io.faultline.workloads.history.HistoryRecorder;
import io.faultline.workloads.history.JsonlHistorySink;
import io.faultline.workloads.runner.Interpreter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * How fast the harness itself goes: no-op clients through the real generator (mix + limit), the
 * interpreter (generator lock, worker threads) and the history writer (history.jsonl on disk).
 * Usage: HarnessBench [ops per round] [rounds] [concurrency...]
 */
public final class HarnessBench {
    private HarnessBench() {}

    public static void main(String[] args) throws Exception {
        long ops = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int[] concurrencies = {1, 4, 16};
        if (args.length > 2) {
            concurrencies = new int[args.length - 2];
            for (int i = 2; i < args.length; i++) concurrencies[i - 2] = Integer.parseInt(args[i]);
        }
        Path dir = Files.createTempDirectory("harness-bench");
        System.out.printf(Locale.ROOT, "no-op client, generator mix(read|write|cas) + limit %d, history.jsonl on disk, %d rounds (first is warm-up)%n", ops, rounds);
        for (int c : concurrencies) {
            double best = 0;
            double sum = 0;
            for (int round = 0; round < rounds; round++) {
                Path file = dir.resolve("history-" + c + "-" + round + ".jsonl");
                Generator gen = Gen.limit(ops, Gen.mix(
                        Gen.repeat(r -> new Invocation("read", null, 1L)),
                        Gen.repeat(r -> new Invocation("write", r.nextLong(1_000_000), 1L)),
                        Gen.repeat(r -> new Invocation("cas", java.util.List.of(r.nextLong(5), r.nextLong(5)), 1L))));
                long t0 = System.nanoTime();
                long done;
                try (HistoryRecorder rec = new HistoryRecorder(new JsonlHistorySink(file))) {
                    new Interpreter(gen, NoopClient.FACTORY, null, rec, c, 1).run(Duration.ofMinutes(10));
                    done = rec.count(OpType.OK);
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                double rate = done / secs;
                if (round > 0) {
                    best = Math.max(best, rate);
                    sum += rate;
                }
                System.out.printf(Locale.ROOT, "  concurrency %2d round %d: %,d ops in %.2f s = %,.0f ops/s (%,d bytes of history)%n",
                        c, round, done, secs, rate, Files.size(file));
                Files.delete(file);
            }
            System.out.printf(Locale.ROOT, "concurrency %2d: mean %,.0f ops/s, best %,.0f ops/s%n", c, sum / Math.max(1, rounds - 1), best);
        }
        Files.delete(dir);
    }
}
