package io.faultline.checker.linear;

import io.faultline.checker.history.Op;
import io.faultline.checker.model.FailMode;
import io.faultline.checker.model.Model;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Checks a whole history: pairs ops, partitions them by the model's partition key (P-compositionality), and
 * searches the partitions in parallel; the first non-linearizable partition cancels the rest.
 */
public final class LinearizabilityAnalysis {

    /**
     * The combined outcome.
     *
     * @param partitions one result per partition, largest first
     * @param ops        client ops (paired calls) in the history
     * @param elapsed    wall-clock time of the search
     */
    public record Result(List<PartitionResult> partitions, int ops, Duration elapsed) {
        public boolean linearizable() {
            return partitions.stream().allMatch(p -> p.outcome() == PartitionResult.Outcome.LINEARIZABLE);
        }

        public boolean notLinearizable() {
            return partitions.stream().anyMatch(p -> p.outcome() == PartitionResult.Outcome.NOT_LINEARIZABLE);
        }

        public List<Counterexample> counterexamples() {
            return partitions.stream().filter(p -> p.counterexample() != null).map(PartitionResult::counterexample).toList();
        }

        public long statesExplored() {
            return partitions.stream().mapToLong(PartitionResult::states).sum();
        }
    }

    private final Model model;
    private final FailMode failMode;
    private final Duration timeLimit;
    private final long memoryBudget;
    private final int threads;

    public LinearizabilityAnalysis(Model model, FailMode failMode, Duration timeLimit, long memoryBudget, int threads) {
        this.model = model;
        this.failMode = failMode;
        this.timeLimit = timeLimit;
        this.memoryBudget = memoryBudget;
        this.threads = Math.max(1, threads);
    }

    /** @throws IllegalArgumentException if the history is malformed or has ops the model does not know */
    public Result analyze(List<Op> history) {
        long start = System.nanoTime();
        Budget budget = new Budget(timeLimit.toNanos(), memoryBudget);
        List<HistoryCall> calls = HistoryCall.pair(history, failMode);
        Map<Object, List<HistoryCall>> parts = new LinkedHashMap<>();
        for (HistoryCall c : calls) parts.computeIfAbsent(model.partitionKey(c.call()), k -> new ArrayList<>()).add(c);
        List<Map.Entry<Object, List<HistoryCall>>> order = new ArrayList<>(parts.entrySet());
        order.sort(Comparator.comparingInt((Map.Entry<Object, List<HistoryCall>> e) -> e.getValue().size()).reversed());

        List<PartitionResult> results = new ArrayList<>(order.size());
        int workers = Math.min(threads, order.size());
        if (workers <= 1) {
            for (var e : order) {
                if (budget.stop.get()) {
                    results.add(cancelled(e.getKey(), e.getValue().size()));
                    continue;
                }
                PartitionResult r = new WglSearch(model, e.getKey(), e.getValue(), budget).run();
                if (r.outcome() == PartitionResult.Outcome.NOT_LINEARIZABLE) budget.stop.set(true);
                results.add(r);
            }
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
                Thread t = new Thread(r, "wgl-search");
                t.setDaemon(true);
                return t;
            });
            try {
                var done = new ExecutorCompletionService<PartitionResult>(pool);
                List<Future<PartitionResult>> futures = new ArrayList<>();
                for (var e : order) {
                    futures.add(done.submit(() -> budget.stop.get() ? cancelled(e.getKey(), e.getValue().size())
                            : new WglSearch(model, e.getKey(), e.getValue(), budget).run()));
                }
                for (int i = 0; i < futures.size(); i++) {
                    PartitionResult r = done.take().get();
                    if (r.outcome() == PartitionResult.Outcome.NOT_LINEARIZABLE) budget.stop.set(true);
                }
                for (Future<PartitionResult> f : futures) results.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                budget.stop.set(true);
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                budget.stop.set(true);
                if (e.getCause() instanceof RuntimeException re) throw re;
                if (e.getCause() instanceof Error err) throw err;
                throw new IllegalStateException(e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }
        return new Result(List.copyOf(results), calls.size(), Duration.ofNanos(System.nanoTime() - start));
    }

    private static PartitionResult cancelled(Object key, int ops) {
        return new PartitionResult(key, PartitionResult.Outcome.CANCELLED, "cancelled: another partition is not linearizable",
                null, ops, 0);
    }
}
