package io.faultline.chaos.nemesis;

import java.util.List;

/**
 * What one invocation of a nemesis did.
 *
 * @param kind e.g. {@code partition-halves}, {@code kill-leader}, {@code latency}
 * @param targets the nodes hit, e.g. {@code ["n1","n2|n3"]} or {@code ["n2"]}
 * @param detail free text (grudge, latency figures), for the report
 */
public record Fault(String kind, List<String> targets, String detail) {
    public Fault {
        targets = List.copyOf(targets);
        detail = detail == null ? "" : detail;
    }
}
