package io.faultline.chaos.nemesis;

import java.util.Random;

/**
 * A fault injector, as Jepsen's: {@link #invoke} puts a fault in place and says what it did,
 * {@link #heal} undoes it. A nemesis holds at most one active fault; heal with nothing active is
 * a no-op. Randomness comes from the caller, so a seeded run is reproducible.
 */
public interface Nemesis {
    String name();

    /** Injects the fault; returns once it is in place. */
    Fault invoke(Random random) throws Exception;

    /** Undoes the active fault, if any; returns once healed. */
    void heal() throws Exception;
}
