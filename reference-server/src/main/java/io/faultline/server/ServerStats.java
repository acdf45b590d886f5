package io.faultline.server;

import java.util.concurrent.atomic.AtomicLong;

/** Counters the four-letter words report; written by any thread, read by 4lw. */
public final class ServerStats {
    final AtomicLong packetsReceived = new AtomicLong();
    final AtomicLong packetsSent = new AtomicLong();
    private long minLatency = Long.MAX_VALUE, maxLatency, totalLatency, count;

    synchronized void latency(long ms) {
        if (ms < minLatency) minLatency = ms;
        if (ms > maxLatency) maxLatency = ms;
        totalLatency += ms;
        count++;
    }

    synchronized long min() { return count == 0 ? 0 : minLatency; }
    synchronized long max() { return maxLatency; }
    synchronized double avg() { return count == 0 ? 0.0 : (double) totalLatency / count; }

    synchronized void reset() {
        minLatency = Long.MAX_VALUE;
        maxLatency = totalLatency = count = 0;
        packetsReceived.set(0);
        packetsSent.set(0);
    }
}
