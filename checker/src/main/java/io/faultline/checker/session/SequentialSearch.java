package io.faultline.checker.session;

import io.faultline.checker.jepsen.Call;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Fallback for histories without versions: is there a total order of one register's ops that keeps
 * each session's order and in which every read returns the latest write (initially {@code null})?
 * This is the linearizability search with real-time precedence replaced by session order. Depth-first
 * over (per-session positions, value) states with a visited set; indeterminate writes may or may not
 * take effect. Bounded by a state budget: past it the answer is unknown.
 */
final class SequentialSearch {
    enum Outcome { PASS, FAIL, UNKNOWN }

    /** One op of a session on this key: a read (value read), or a write (value written, maybe indeterminate). */
    record Step(Call call, boolean write, boolean indeterminate, Object value) {}

    record Result(Outcome outcome, long statesVisited, Step blocked) {}

    private record State(int[] pos, Object value) {
        @Override
        public boolean equals(Object o) {
            return o instanceof State s && Arrays.equals(pos, s.pos) && Objects.equals(value, s.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(pos) * 31 + Objects.hashCode(value);
        }
    }

    private SequentialSearch() {}

    static Result search(List<List<Step>> sessions, long budget) {
        int n = sessions.size();
        Set<State> visited = new HashSet<>();
        Deque<State> stack = new ArrayDeque<>();
        State start = new State(new int[n], null);
        stack.push(start);
        visited.add(start);
        int bestDepth = -1;
        Step blocked = null;
        while (!stack.isEmpty()) {
            State s = stack.pop();
            int depth = 0;
            boolean done = true;
            for (int i = 0; i < n; i++) {
                depth += s.pos[i];
                if (s.pos[i] < sessions.get(i).size()) done = false;
            }
            if (done) return new Result(Outcome.PASS, visited.size(), null);
            for (int i = 0; i < n; i++) {
                List<Step> seq = sessions.get(i);
                if (s.pos[i] >= seq.size()) continue;
                Step step = seq.get(s.pos[i]);
                int[] next = s.pos.clone();
                next[i]++;
                if (step.write()) {
                    push(new State(next, step.value()), visited, stack);
                    if (step.indeterminate()) push(new State(next, s.value), visited, stack);
                } else if (Objects.equals(step.value(), s.value)) {
                    push(new State(next, s.value), visited, stack);
                } else if (depth > bestDepth) {
                    bestDepth = depth;
                    blocked = step;
                }
            }
            if (visited.size() > budget) return new Result(Outcome.UNKNOWN, visited.size(), blocked);
        }
        return new Result(Outcome.FAIL, visited.size(), blocked);
    }

    private static void push(State s, Set<State> visited, Deque<State> stack) {
        if (visited.add(s)) stack.push(s);
    }
}
