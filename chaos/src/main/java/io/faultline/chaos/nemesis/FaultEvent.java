package io.faultline.chaos.nemesis;

import java.util.List;

/**
 * A fault as history and report see it: plain data, times in nanoseconds since the run's origin.
 *
 * @param id sequence number in its {@link FaultLog}
 * @param nemesis the nemesis that caused it
 * @param kind what was done (see {@link Fault#kind()})
 * @param targets the nodes hit
 * @param detail free text
 * @param startNanos when the fault was in place (after the last toxic/signal call returned)
 * @param stopNanos when it was healed, or -1 while active
 */
public record FaultEvent(long id, String nemesis, String kind, List<String> targets, String detail,
                         long startNanos, long stopNanos) {
    public FaultEvent {
        targets = List.copyOf(targets);
    }

    public boolean active() {
        return stopNanos < 0;
    }

    FaultEvent stoppedAt(long nanos) {
        return new FaultEvent(id, nemesis, kind, targets, detail, startNanos, nanos);
    }
}
