package io.faultline.chaos.nemesis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a nemesis on a timetable: quiet period, fault, heal, repeat, until {@link #stop()}. The
 * periods are fixed or drawn uniformly between bounds from a seeded {@link Random}, which also
 * feeds the nemesis, so a run with the same seed picks the same victims and times. Every fault is
 * recorded in the {@link FaultLog} (start when in place, stop when healed). {@link #inject()} and
 * {@link #heal()} do one step by hand for callers with their own clock.
 */
public final class NemesisSchedule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NemesisSchedule.class);

    /** How long a period lasts. */
    public sealed interface Timing {
        Duration next(Random random);
    }

    public record Fixed(Duration duration) implements Timing {
        public Fixed {
            if (duration.isNegative()) throw new IllegalArgumentException("negative duration");
        }

        @Override
        public Duration next(Random random) {
            return duration;
        }
    }

    public record Uniform(Duration min, Duration max) implements Timing {
        public Uniform {
            if (min.isNegative() || max.compareTo(min) < 0) throw new IllegalArgumentException("need 0 <= min <= max");
        }

        @Override
        public Duration next(Random random) {
            long span = max.toMillis() - min.toMillis();
            return min.plusMillis(span == 0 ? 0 : random.nextLong(span + 1));
        }
    }

    public static Timing fixed(Duration d) {
        return new Fixed(d);
    }

    public static Timing between(Duration min, Duration max) {
        return new Uniform(min, max);
    }

    private final Nemesis nemesis;
    private final FaultLog log;
    private final Timing quiet;
    private final Timing faultFor;
    private final Random random;
    private final List<Exception> failures = new ArrayList<>();
    private Thread runner;
    private long activeEvent = -1;

    /**
     * @param quiet how long the cluster runs healthy before each fault
     * @param faultFor how long each fault lasts
     * @param seed seeds every random choice of the schedule and the nemesis
     */
    public NemesisSchedule(Nemesis nemesis, FaultLog log, Timing quiet, Timing faultFor, long seed) {
        this.nemesis = nemesis;
        this.log = log;
        this.quiet = quiet;
        this.faultFor = faultFor;
        this.random = new Random(seed);
    }

    public FaultLog log() {
        return log;
    }

    /** Starts the timetable on a virtual thread. */
    public synchronized void start() {
        if (runner != null) throw new IllegalStateException("already started");
        runner = Thread.ofVirtual().name("nemesis-" + nemesis.name()).start(this::run);
    }

    private void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(quiet.next(random));
                inject();
                Thread.sleep(faultFor.next(random));
                heal();
            }
        } catch (InterruptedException e) {
            // stop() asked us to finish; it heals
        }
    }

    /** Injects one fault now and records it; returns its event id, or -1 if the nemesis failed. */
    public synchronized long inject() {
        if (activeEvent >= 0) heal();
        try {
            Fault fault = nemesis.invoke(random);
            activeEvent = log.begin(nemesis.name(), fault);
            LOG.info("nemesis {}: {} on {} {}", nemesis.name(), fault.kind(), fault.targets(), fault.detail());
            return activeEvent;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (Exception e) {
            LOG.warn("nemesis {} could not inject: {}", nemesis.name(), e.toString());
            failures.add(e);
            return -1;
        }
    }

    /** Heals the active fault (if any) and records its end. */
    public synchronized void heal() {
        try {
            nemesis.heal();
        } catch (Exception e) {
            LOG.warn("nemesis {} could not heal: {}", nemesis.name(), e.toString());
            failures.add(e);
        } finally {
            if (activeEvent >= 0) log.end(activeEvent);
            activeEvent = -1;
        }
    }

    /** Stops the timetable, heals any active fault. Idempotent. */
    public void stop() {
        Thread t;
        synchronized (this) {
            t = runner;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(Duration.ofSeconds(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        heal();
    }

    /** Errors the nemesis raised (the schedule keeps going after them). */
    public synchronized List<Exception> failures() {
        return List.copyOf(failures);
    }

    @Override
    public void close() {
        stop();
    }
}
