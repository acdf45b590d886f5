package io.faultline.checker.linear;

import io.faultline.checker.model.Model;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Wing &amp; Gong's search with Lowe's just-in-time linearization and memoization, for one partition.
 *
 * <p>Calls and returns form a doubly linked list in history order (arrays, dancing-links style). Walking it,
 * a call entry is linearized if the model allows it and the configuration (linearized set, state) is new; it
 * and its return are then lifted out of the list and the walk restarts at the head. Reaching a return entry
 * means that op's deadline passed without it being linearized: backtrack (explicit stack). Pending ops
 * (crashed, never completed) have no return entry: they may be linearized anywhere after their call, or never;
 * the search succeeds once every completed op is linearized.
 *
 * <p>Op ids: completed ops get 0..nc-1 in call order, pending ops nc..n-1, so the linearized bitset is a run of
 * ones followed by a short window, and the cache stores only the window.
 */
final class WglSearch {
    private static final int CHECK_EVERY = 1 << 12;

    private final Model model;
    private final Object key;
    private final List<HistoryCall> calls;
    private final Budget budget;

    WglSearch(Model model, Object key, List<HistoryCall> calls, Budget budget) {
        this.model = model;
        this.key = key;
        this.calls = calls;
        this.budget = budget;
    }

    PartitionResult run() {
        // Compile ops; drop those that cannot matter (always-legal no-ops, pending reads).
        List<HistoryCall> completed = new ArrayList<>();
        List<HistoryCall> pendingCalls = new ArrayList<>();
        List<Object> completedOps = new ArrayList<>();
        List<Object> pendingOps = new ArrayList<>();
        for (HistoryCall c : calls) {
            Object op;
            try {
                op = model.prepare(c.call());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("op " + c.invoke().index() + ": " + e.getMessage(), e);
            }
            if (model.trivial(op)) continue;
            if (c.pending()) {
                if (model.readOnly(op)) continue;
                pendingCalls.add(c);
                pendingOps.add(op);
            } else {
                completed.add(c);
                completedOps.add(op);
            }
        }
        final int nc = completed.size();
        final int n = nc + pendingCalls.size();
        if (nc == 0) return new PartitionResult(key, PartitionResult.Outcome.LINEARIZABLE, null, null, n, 0);
        HistoryCall[] hc = new HistoryCall[n];
        Object[] ops = new Object[n];
        for (int i = 0; i < nc; i++) {
            hc[i] = completed.get(i);
            ops[i] = completedOps.get(i);
        }
        for (int i = nc; i < n; i++) {
            hc[i] = pendingCalls.get(i - nc);
            ops[i] = pendingOps.get(i - nc);
        }

        // Events in history order: call entry id = op id; return entry id = n + op id.
        long[] events = new long[n + nc];
        int ne = 0;
        for (int i = 0; i < n; i++) {
            events[ne++] = ((long) hc[i].invokePos() << 32) | i;
            if (i < nc) events[ne++] = ((long) hc[i].completionPos() << 32) | (n + i);
        }
        Arrays.sort(events);
        final int head = 2 * n, tail = 2 * n + 1;
        int[] next = new int[2 * n + 2];
        int[] prev = new int[2 * n + 2];
        int last = head;
        for (long ev : events) {
            int e = (int) ev;
            next[last] = e;
            prev[e] = last;
            last = e;
        }
        next[last] = tail;
        prev[tail] = last;

        long[] zobrist = new long[nc];
        SplittableRandom rnd = new SplittableRandom(0x5eed ^ n);
        for (int i = 0; i < nc; i++) zobrist[i] = rnd.nextLong();

        final int np = n - nc;
        // Symmetry: two pending ops with equal (prepared) ops are interchangeable once both are called (no deadline,
        // same effect), so the later-called one may only be linearized after its earlier twin. Any linearization
        // that uses the later one first becomes one that uses the earlier one by swapping them (it was called
        // earlier); this cuts the subsets of crashed writes the search would otherwise enumerate.
        int[] earlierTwin = new int[np];
        java.util.Map<Object, Integer> lastOfOp = new java.util.HashMap<>();
        for (int p = 0; p < np; p++) {
            Integer t = lastOfOp.put(ops[nc + p], p);
            earlierTwin[p] = t == null ? -1 : t;
        }
        // Read-only completed ops (reads, failed cas) never change the state: when one is callable and legal,
        // linearizing it at once loses nothing (any valid order that places it later can place it here), so it
        // is not a choice point. Such a frame is "forced": backtracking through it backtracks past it.
        boolean[] readOnly = new boolean[nc];
        for (int i = 0; i < nc; i++) readOnly[i] = model.readOnly(ops[i]);
        boolean[] stackForced = new boolean[n];
        final boolean enabling = model.hasEnablingRelation();
        int[] witness = new int[n]; // per pending op: the last remaining op found that may need it (-1: none yet)
        Arrays.fill(witness, -1);
        long[] words = new long[(nc + 63) >>> 6];
        long[] pwords = new long[(np + 63) >>> 6];
        int[] stackPass = new int[n];
        int pass = 0; // 0: completed ops' calls before the first return; 1: then pending ops' calls
        int lo = 0, hi = -1;
        long bitsHash = 0;
        int[] stackEntry = new int[n];
        Object[] stackState = new Object[n];
        int depth = 0;
        int linearizedCompleted = 0;
        Object state = model.initialState();
        StateCache cache = new StateCache(Math.min(1 << 20, Math.max(64, n * 2)));
        long published = 0;
        int iterations = 0;

        // Diagnostics: the deepest point where an op's return was reached unlinearized.
        int bestDepth = -1;
        int bestCulprit = -1;
        Object bestState = null;
        int[] bestOrder = new int[n];
        int unchangedBelow = 0; // stack entries below this depth equal bestOrder's since the last snapshot

        PartitionResult.Outcome outcome;
        String reason = null;
        try {
            int entry = next[head];
            while (true) {
                if (linearizedCompleted == nc) {
                    outcome = PartitionResult.Outcome.LINEARIZABLE;
                    break;
                }
                if (++iterations == CHECK_EVERY) {
                    iterations = 0;
                    long delta = cache.bytes() - published;
                    published = cache.bytes();
                    long used = budget.memoryUsed.addAndGet(delta);
                    if (budget.stop.get()) {
                        outcome = PartitionResult.Outcome.CANCELLED;
                        reason = "cancelled: another partition is not linearizable";
                        break;
                    }
                    if (System.nanoTime() - budget.deadlineNanos > 0) {
                        outcome = PartitionResult.Outcome.UNKNOWN;
                        reason = "time limit reached after exploring " + cache.size() + " configurations";
                        break;
                    }
                    if (used > budget.memoryBytes) {
                        outcome = PartitionResult.Outcome.UNKNOWN;
                        reason = "memory budget (" + (budget.memoryBytes >> 20) + " MiB) reached after exploring "
                                + cache.size() + " configurations";
                        break;
                    }
                }
                if (entry < n) {
                    int id = entry;
                    if ((id >= nc) != (pass == 1)) {
                        entry = next[entry];
                        continue;
                    }
                    if (id >= nc) {
                        int t = earlierTwin[id - nc];
                        if (t >= 0 && (pwords[t >>> 6] & (1L << t)) == 0) {
                            entry = next[entry];
                            continue;
                        }
                        if (enabling && !neededByRemaining(id, ops, next, head, tail, n, nc, words, pwords, witness)) {
                            // No op left could need this crashed op's effect: leaving it out is never worse.
                            entry = next[entry];
                            continue;
                        }
                    }
                    Object nextState = model.step(state, ops[id]);
                    if (id >= nc && java.util.Objects.equals(nextState, state)) {
                        // A pending op with no effect here is better left pending: it stays usable later.
                        nextState = Model.ILLEGAL;
                    }
                    boolean forced = id < nc && readOnly[id] && nextState != Model.ILLEGAL
                            && java.util.Objects.equals(nextState, state);
                    if (nextState != Model.ILLEGAL) {
                        boolean added;
                        int nlo = lo, nhi = hi;
                        long h = bitsHash;
                        if (id < nc) {
                            int w = id >>> 6;
                            words[w] |= 1L << id;
                            if (w > nhi) nhi = w;
                            while (nlo < words.length && words[nlo] == -1L) nlo++;
                            h ^= zobrist[id];
                            added = cache.add(h * 0x9E3779B97F4A7C15L + java.util.Objects.hashCode(nextState), words, nlo, nhi, nextState, pwords);
                            if (!added) words[w] &= ~(1L << id);
                        } else {
                            int p = id - nc;
                            pwords[p >>> 6] |= 1L << p;
                            added = cache.add(h * 0x9E3779B97F4A7C15L + java.util.Objects.hashCode(nextState), words, nlo, nhi, nextState, pwords);
                            if (!added) pwords[p >>> 6] &= ~(1L << p);
                        }
                        if (added) {
                            lo = nlo;
                            hi = nhi;
                            bitsHash = h;
                            stackEntry[depth] = id;
                            stackState[depth] = state;
                            stackPass[depth] = pass;
                            stackForced[depth] = forced;
                            depth++;
                            state = nextState;
                            if (id < nc) {
                                linearizedCompleted++;
                                int r = n + id;
                                next[prev[r]] = next[r];
                                prev[next[r]] = prev[r];
                            }
                            next[prev[id]] = next[id];
                            prev[next[id]] = prev[id];
                            entry = next[head];
                            pass = 0;
                            continue;
                        }
                    }
                    if (!forced) {
                        entry = next[entry];
                        continue;
                    }
                    // The forced read's configuration was explored already and failed: so does this one.
                }
                {
                    // A return entry (or the tail): this op's deadline passed unlinearized; or a forced dead end.
                    if (entry < n) {
                        // forced dead end: no pending-op pass, nothing to record
                    } else if (pass == 0 && np > 0) {
                        // Try the pending ops that are callable before this return, fewest-pending-first.
                        pass = 1;
                        entry = next[head];
                        continue;
                    }
                    if (entry >= n && depth > bestDepth) {
                        bestDepth = depth;
                        bestCulprit = entry == tail ? -1 : entry - n;
                        bestState = state;
                        System.arraycopy(stackEntry, unchangedBelow, bestOrder, unchangedBelow, depth - unchangedBelow);
                        unchangedBelow = depth;
                    }
                    boolean exhausted = false;
                    while (true) {
                    if (depth == 0) {
                        exhausted = true;
                        break;
                    }
                    depth--;
                    if (depth < unchangedBelow) unchangedBelow = depth;
                    int id = stackEntry[depth];
                    state = stackState[depth];
                    stackState[depth] = null;
                    pass = stackPass[depth];
                    if (id < nc) {
                        int w = id >>> 6;
                        words[w] &= ~(1L << id);
                        if (w < lo) lo = w;
                        while (hi >= 0 && words[hi] == 0) hi--;
                        bitsHash ^= zobrist[id];
                    } else {
                        int p = id - nc;
                        pwords[p >>> 6] &= ~(1L << p);
                    }
                    // unlift in reverse order: the call entry was unlinked last, so relink the return first
                    if (id < nc) {
                        linearizedCompleted--;
                        int r = n + id;
                        next[prev[r]] = r;
                        prev[next[r]] = r;
                    }
                    next[prev[id]] = id;
                    prev[next[id]] = id;
                    entry = next[id];
                    // A forced frame was no choice: its configuration fails with its read, so pop on.
                    if (!stackForced[depth]) break;
                    }
                    if (exhausted) {
                        outcome = PartitionResult.Outcome.NOT_LINEARIZABLE;
                        break;
                    }
                }
            }
        } catch (OutOfMemoryError oom) {
            cache = null; // let it go before building the result
            budget.memoryUsed.addAndGet(-published);
            return new PartitionResult(key, PartitionResult.Outcome.UNKNOWN, "ran out of heap while searching", null, n, 0);
        } finally {
            budget.memoryUsed.addAndGet(-published);
        }
        long explored = cache.size();
        if (outcome != PartitionResult.Outcome.NOT_LINEARIZABLE) {
            return new PartitionResult(key, outcome, reason, null, n, explored);
        }
        return new PartitionResult(key, outcome, null, counterexample(hc, bestCulprit, bestOrder, bestDepth, bestState), n, explored);
    }

    /**
     * Whether some op not yet linearized (its call entry is still listed) may be enabled by op id's effect. The last
     * such op found is remembered: while it stays unlinearized the answer is yes without a scan.
     */
    private boolean neededByRemaining(int id, Object[] ops, int[] next, int head, int tail, int n, int nc,
                                      long[] words, long[] pwords, int[] witness) {
        int w = witness[id];
        if (w >= 0 && !linearized(w, nc, words, pwords)) return true;
        for (int e = next[head]; e != tail; e = next[e]) {
            if (e < n && e != id && model.mayEnable(ops[id], ops[e])) {
                witness[id] = e;
                return true;
            }
        }
        return false;
    }

    private static boolean linearized(int id, int nc, long[] words, long[] pwords) {
        if (id < nc) return (words[id >>> 6] & (1L << id)) != 0;
        int p = id - nc;
        return (pwords[p >>> 6] & (1L << p)) != 0;
    }

    private Counterexample counterexample(HistoryCall[] hc, int culprit, int[] order, int depth, Object state) {
        List<Long> linearized = new ArrayList<>(depth);
        for (int i = 0; i < depth; i++) linearized.add(hc[order[i]].invoke().index());
        if (culprit < 0) {
            return new Counterexample(key, -1, -1, "no op could be linearized", List.of(), linearized, render(model.describe(state)));
        }
        HistoryCall c = hc[culprit];
        List<Long> concurrent = new ArrayList<>();
        for (HistoryCall o : calls) {
            if (o == c) continue;
            boolean startsBeforeEnd = o.invokePos() < c.completionPos();
            boolean endsAfterStart = o.completionPos() < 0 || o.completionPos() > c.invokePos();
            if (startsBeforeEnd && endsAfterStart) {
                concurrent.add(o.invoke().index());
                if (concurrent.size() == 100) break;
            }
        }
        return new Counterexample(key, c.invoke().index(), c.completion().index(), describe(c), concurrent, linearized,
                render(model.describe(state)));
    }

    static String describe(HistoryCall c) {
        Object v = c.call().value();
        return "process " + c.invoke().process() + " " + c.call().f() + (v == null ? "" : " " + render(v))
                + (c.call().failed() ? " (failed)" : c.call().pending() ? " (pending)" : "");
    }

    private static String render(Object v) {
        String s = String.valueOf(v);
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
