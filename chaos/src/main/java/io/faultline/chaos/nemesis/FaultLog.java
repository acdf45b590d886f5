package io.faultline.chaos.nemesis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Every fault event of a run, times relative to the run's origin ({@link System#nanoTime()} based). */
public final class FaultLog {
    private final long originNanos;
    private final List<FaultEvent> events = new ArrayList<>();
    private final List<Consumer<FaultEvent>> listeners = new CopyOnWriteArrayList<>();

    /** @param originNanos the {@link System#nanoTime()} value that is time 0 of the run (the history's origin) */
    public FaultLog(long originNanos) {
        this.originNanos = originNanos;
    }

    public static FaultLog startingNow() {
        return new FaultLog(System.nanoTime());
    }

    public long originNanos() {
        return originNanos;
    }

    /** Nanoseconds since the origin. */
    public long now() {
        return System.nanoTime() - originNanos;
    }

    /** Called with each event when it starts and again when it stops. */
    public void onEvent(Consumer<FaultEvent> listener) {
        listeners.add(listener);
    }

    /** Records a fault that just took effect; returns its id for {@link #end(long)}. */
    public long begin(String nemesis, Fault fault) {
        FaultEvent e;
        synchronized (this) {
            e = new FaultEvent(events.size(), nemesis, fault.kind(), fault.targets(), fault.detail(), now(), -1);
            events.add(e);
        }
        listeners.forEach(l -> l.accept(e));
        return e.id();
    }

    /** Records that fault {@code id} was healed. */
    public void end(long id) {
        FaultEvent e;
        synchronized (this) {
            FaultEvent old = events.get((int) id);
            if (!old.active()) return;
            e = old.stoppedAt(now());
            events.set((int) id, e);
        }
        listeners.forEach(l -> l.accept(e));
    }

    public synchronized List<FaultEvent> events() {
        return List.copyOf(events);
    }

    public synchronized List<FaultEvent> active() {
        return events.stream().filter(FaultEvent::active).toList();
    }
}
