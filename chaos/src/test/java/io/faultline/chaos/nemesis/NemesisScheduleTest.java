package io.faultline.chaos.nemesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NemesisScheduleTest {
    /** A nemesis whose "fault" is a number drawn from the schedule's random source. */
    static final class Dice implements Nemesis {
        final List<String> calls = new ArrayList<>();
        boolean active;

        @Override
        public String name() {
            return "dice";
        }

        @Override
        public Fault invoke(Random random) {
            active = true;
            String face = "n" + (1 + random.nextInt(6));
            calls.add("invoke " + face);
            return new Fault("roll", List.of(face), "");
        }

        @Override
        public void heal() {
            if (active) calls.add("heal");
            active = false;
        }
    }

    @Test
    void sameSeedSameFaultsAndEveryFaultIsHealedAndTimed() {
        List<List<String>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            Dice dice = new Dice();
            FaultLog log = FaultLog.startingNow();
            NemesisSchedule s = new NemesisSchedule(dice, log, NemesisSchedule.fixed(Duration.ZERO), NemesisSchedule.fixed(Duration.ZERO), 42);
            for (int i = 0; i < 5; i++) {
                s.inject();
                s.heal();
            }
            assertEquals(5, log.events().size());
            for (FaultEvent e : log.events()) {
                assertFalse(e.active());
                assertTrue(e.startNanos() >= 0 && e.stopNanos() >= e.startNanos(), e.toString());
                assertEquals("dice", e.nemesis());
            }
            runs.add(log.events().stream().map(e -> e.targets().getFirst()).toList());
            assertEquals(10, dice.calls.size());
        }
        assertEquals(runs.get(0), runs.get(1));
    }

    @Test
    void backgroundTimetableStopsHealed() throws Exception {
        Dice dice = new Dice();
        FaultLog log = FaultLog.startingNow();
        List<FaultEvent> seen = new ArrayList<>();
        log.onEvent(e -> {
            synchronized (seen) {
                seen.add(e);
            }
        });
        try (NemesisSchedule s = new NemesisSchedule(dice, log,
                NemesisSchedule.between(Duration.ofMillis(10), Duration.ofMillis(30)), NemesisSchedule.fixed(Duration.ofMillis(20)), 7)) {
            s.start();
            Thread.sleep(400);
        }
        assertFalse(dice.active, "stop heals the active fault");
        assertTrue(log.events().size() >= 3, "several faults in 400 ms: " + log.events());
        assertTrue(log.active().isEmpty());
        synchronized (seen) {
            assertEquals(2 * log.events().size(), seen.size(), "each event reported at start and at stop");
        }
    }

    @Test
    void uniformTimingStaysInBounds() {
        var t = NemesisSchedule.between(Duration.ofMillis(100), Duration.ofMillis(200));
        Random r = new Random(1);
        for (int i = 0; i < 1000; i++) {
            long ms = t.next(r).toMillis();
            assertTrue(ms >= 100 && ms <= 200, "" + ms);
        }
    }
}
