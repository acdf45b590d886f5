package io.faultline.checker.linear;

import java.util.Arrays;

/**
 * Lowe's memo of visited configurations: (set of linearized ops, model state). Open addressing over parallel
 * arrays; the bitset is stored trimmed to its window [lo, hi] (words below lo are all ones, above hi all zero).
 */
final class StateCache {
    private long[] hashes;
    private long[][] bits;
    private Object[] states;
    private int mask;
    private int size;
    private long bytes;

    StateCache(int initialCapacity) {
        int cap = Integer.highestOneBit(Math.max(16, initialCapacity) * 2 - 1);
        hashes = new long[cap];
        bits = new long[cap][];
        states = new Object[cap];
        mask = cap - 1;
        bytes = cap * 20L;
    }

    int size() {
        return size;
    }

    /** Approximate bytes held. */
    long bytes() {
        return bytes;
    }

    /** Adds the configuration unless present; returns true if it was new. */
    boolean add(long hash, long[] words, int lo, int hi, Object state) {
        int len = Math.max(0, hi + 1 - lo);
        int i = (int) mix(hash) & mask;
        while (true) {
            long[] b = bits[i];
            if (b == null) break;
            if (hashes[i] == hash && b[0] == lo && b.length == len + 1
                    && Arrays.equals(b, 1, len + 1, words, lo, lo + len) && java.util.Objects.equals(states[i], state)) {
                return false;
            }
            i = (i + 1) & mask;
        }
        long[] stored = new long[len + 1];
        stored[0] = lo;
        System.arraycopy(words, lo, stored, 1, len);
        hashes[i] = hash;
        bits[i] = stored;
        states[i] = state;
        bytes += 24 + 8L * stored.length + 16;
        if (++size * 2 > mask) grow();
        return true;
    }

    private void grow() {
        long[] oh = hashes;
        long[][] ob = bits;
        Object[] os = states;
        int cap = (mask + 1) * 2;
        hashes = new long[cap];
        bits = new long[cap][];
        states = new Object[cap];
        mask = cap - 1;
        bytes += (cap / 2) * 20L;
        for (int j = 0; j < ob.length; j++) {
            if (ob[j] == null) continue;
            int i = (int) mix(oh[j]) & mask;
            while (bits[i] != null) i = (i + 1) & mask;
            hashes[i] = oh[j];
            bits[i] = ob[j];
            states[i] = os[j];
        }
    }

    static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
