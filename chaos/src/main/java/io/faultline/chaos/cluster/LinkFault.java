package io.faultline.chaos.cluster;

/** What a toxic does to the bytes flowing one way over a link. */
public sealed interface LinkFault {
    /** Bytes silently discarded, connections stay open (Toxiproxy {@code timeout=0}); heal closes them. */
    record Drop() implements LinkFault {}

    /** Bytes held back, delivered late after heal (Toxiproxy {@code bandwidth rate=0}). */
    record Stall() implements LinkFault {}

    /** Each chunk delayed by {@code latencyMs} ± {@code jitterMs}. */
    record Latency(long latencyMs, long jitterMs) implements LinkFault {
        public Latency {
            if (latencyMs < 0 || jitterMs < 0) throw new IllegalArgumentException("negative latency or jitter");
        }
    }

    /** At most {@code kilobytesPerSecond} (KB = 1000 bytes) per connection. */
    record Bandwidth(long kilobytesPerSecond) implements LinkFault {
        public Bandwidth {
            if (kilobytesPerSecond < 0) throw new IllegalArgumentException("negative bandwidth");
        }
    }

    /** Connections reset (TCP RST) after {@code afterMs} (Toxiproxy {@code reset_peer}). */
    record Reset(long afterMs) implements LinkFault {
        public Reset {
            if (afterMs < 0) throw new IllegalArgumentException("negative reset timeout");
        }
    }

    LinkFault DROP = new Drop();
    LinkFault STALL = new Stall();
}
