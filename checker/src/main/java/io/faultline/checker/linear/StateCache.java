package io.faultline.checker.linear;

import java.util.Arrays;

/**
 * Lowe's memo of visited configurations, extended for pending ops.
 *
 * <p>A configuration is (linearized completed ops, model state, linearized pending ops). Completed ops are stored
 * as a trimmed bitset window [lo, hi] (words below lo all ones, above hi all zero). Pending ops (crashed, never
 * returned) impose no deadline, so a configuration that has linearized a superset of the pending ops of a visited
 * configuration with the same completed set and state can only do less: it is dominated and skipped. Each slot
 * therefore keeps an antichain of pending sets. With no pending ops this is exactly Lowe's cache.
 */
final class StateCache {
    private static final long[][] NONE = new long[0][];

    private long[] hashes;
    private long[][] bits;
    private Object[] states;
    private long[][][] pendingSets;
    private int[] pendingCounts;
    private int mask;
    private int size;
    private long configurations;
    private long bytes;

    StateCache(int initialCapacity) {
        int cap = Integer.highestOneBit(Math.max(16, initialCapacity) * 2 - 1);
        allocate(cap);
        bytes = cap * 32L;
    }

    private void allocate(int cap) {
        hashes = new long[cap];
        bits = new long[cap][];
        states = new Object[cap];
        pendingSets = new long[cap][][];
        pendingCounts = new int[cap];
        mask = cap - 1;
    }

    /** Configurations stored. */
    long size() {
        return configurations;
    }

    /** Approximate bytes held. */
    long bytes() {
        return bytes;
    }

    /**
     * Adds the configuration unless it or one dominating it is present; returns true if it was new.
     *
     * @param hash    hash of the completed set and the state (not of the pending set)
     * @param pending the pending ops' bitset (may be empty); copied if stored
     */
    boolean add(long hash, long[] words, int lo, int hi, Object state, long[] pending) {
        int len = Math.max(0, hi + 1 - lo);
        int i = (int) mix(hash) & mask;
        while (true) {
            long[] b = bits[i];
            if (b == null) break;
            if (hashes[i] == hash && b[0] == lo && b.length == len + 1
                    && Arrays.equals(b, 1, len + 1, words, lo, lo + len) && java.util.Objects.equals(states[i], state)) {
                return addPending(i, pending);
            }
            i = (i + 1) & mask;
        }
        long[] stored = new long[len + 1];
        stored[0] = lo;
        System.arraycopy(words, lo, stored, 1, len);
        hashes[i] = hash;
        bits[i] = stored;
        states[i] = state;
        long[] p = pending.length == 0 ? pending : pending.clone();
        pendingSets[i] = new long[][] {p};
        pendingCounts[i] = 1;
        configurations++;
        bytes += 24 + 8L * stored.length + 40 + 8L * p.length + 16;
        if (++size * 2 > mask) grow();
        return true;
    }

    private boolean addPending(int slot, long[] pending) {
        long[][] sets = pendingSets[slot];
        int n = pendingCounts[slot];
        for (int k = 0; k < n; k++) if (subset(sets[k], pending)) return false;
        // Keep an antichain: drop stored supersets of the new set.
        int w = 0;
        for (int k = 0; k < n; k++) if (!subset(pending, sets[k])) sets[w++] = sets[k];
        if (w == sets.length) {
            sets = Arrays.copyOf(sets, Math.max(2, sets.length * 2));
            pendingSets[slot] = sets;
            bytes += 8L * sets.length;
        }
        sets[w++] = pending.clone();
        pendingCounts[slot] = w;
        configurations++;
        bytes += 16 + 8L * pending.length;
        return true;
    }

    private static boolean subset(long[] a, long[] b) {
        for (int k = 0; k < a.length; k++) if ((a[k] & ~b[k]) != 0) return false;
        return true;
    }

    private void grow() {
        long[] oh = hashes;
        long[][] ob = bits;
        Object[] os = states;
        long[][][] op = pendingSets;
        int[] oc = pendingCounts;
        allocate((mask + 1) * 2);
        bytes += ((mask + 1) / 2) * 32L;
        for (int j = 0; j < ob.length; j++) {
            if (ob[j] == null) continue;
            int i = (int) mix(oh[j]) & mask;
            while (bits[i] != null) i = (i + 1) & mask;
            hashes[i] = oh[j];
            bits[i] = ob[j];
            states[i] = os[j];
            pendingSets[i] = op[j];
            pendingCounts[i] = oc[j];
        }
    }

    static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
