package io.faultline.chaos.toxiproxy;

import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The slicer's cutting: contiguous, complete, bounded pieces for any sizes, with no runaway recursion. */
class SlicingTest {
    @Property(tries = 500)
    void piecesTileTheChunkAndRespectTheBound(
            @ForAll @IntRange(min = 0, max = 32 * 1024) int length,
            @ForAll @IntRange(min = 1, max = 5_000) int average,
            @ForAll @IntRange(min = 0, max = 5_000) int variation,
            @ForAll long seed) {
        List<int[]> pieces = Slicing.pieces(length, average, variation, new SplittableRandom(seed));
        int next = 0;
        for (int[] piece : pieces) {
            check(piece[0] == next, "contiguous at " + next);
            check(piece[1] > 0, "non-empty");
            check(piece[1] - average <= variation || piece[1] == 1, "piece " + piece[1] + " within bound");
            next += piece[1];
        }
        check(next == length, "covers " + next + " of " + length);
    }

    @Example
    void averageTenWithoutVariationGivesPiecesBetweenFiveAndTen() {
        // the real server's observed behaviour: average 10 on 100 bytes gives pieces of 6 and 7
        List<int[]> pieces = Slicing.pieces(100, 10, 0, new SplittableRandom(1));
        check(pieces.size() == 16, "pieces " + pieces.size());
        for (int[] p : pieces) check(p[1] > 5 && p[1] <= 10, "piece " + p[1]);
    }

    static void check(boolean condition, String message) {
        if (!condition) throw new AssertionError(message);
    }
}
