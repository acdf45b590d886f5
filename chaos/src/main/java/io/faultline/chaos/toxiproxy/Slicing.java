package io.faultline.chaos.toxiproxy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** How the slicer toxic cuts a chunk: the real server's recursive bisection, made total. */
final class Slicing {
    private Slicing() {}

    /**
     * Pieces of a chunk of {@code length} bytes as {offset, length} pairs, in order. A segment is
     * sent whole when {@code length - average <= variation}; otherwise it is split at the middle,
     * shifted by a uniform amount in [-variation, variation) and clamped so both halves are
     * non-empty (so every call terminates; {@code average >= 1} is checked by the API).
     */
    static List<int[]> pieces(int length, int average, int variation, SplittableRandom random) {
        List<int[]> pieces = new ArrayList<>();
        bisect(0, length, Math.max(1, average), Math.max(0, variation), random, pieces);
        return pieces;
    }

    private static void bisect(int offset, int length, int average, int variation, SplittableRandom random,
                               List<int[]> pieces) {
        if (length - average <= variation || length < 2) {
            if (length > 0) pieces.add(new int[] {offset, length});
            return;
        }
        int mid = length / 2;
        if (variation > 0) mid += random.nextInt(-variation, variation);
        mid = Math.max(1, Math.min(length - 1, mid));
        bisect(offset, mid, average, variation, random, pieces);
        bisect(offset + mid, length - mid, average, variation, random, pieces);
    }
}
