package io.faultline.checker;

import java.util.List;

/**
 * One violation found by a checker.
 *
 * @param kind        a stable machine name, e.g. "lost-write", "monotonic-reads", "nonlinearizable"
 * @param description what happened, for people
 * @param witnesses   indices ({@link io.faultline.checker.history.Op#index()}) of the ops that show it
 */
public record Anomaly(String kind, String description, List<Long> witnesses) {
    public Anomaly {
        witnesses = List.copyOf(witnesses);
    }
}
