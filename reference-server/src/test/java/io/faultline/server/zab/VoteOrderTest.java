package io.faultline.server.zab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class VoteOrderTest {

    private static Vote vote(long sid, long epoch, long counter, long peerEpoch) {
        return new Vote(sid, Zxid.make(epoch, counter), peerEpoch);
    }

    @Property
    void votesAreTotallyOrdered(@ForAll @IntRange(min = 1, max = 5) int s1, @ForAll @IntRange(max = 3) int z1,
            @ForAll @IntRange(max = 3) int e1, @ForAll @IntRange(min = 1, max = 5) int s2,
            @ForAll @IntRange(max = 3) int z2, @ForAll @IntRange(max = 3) int e2,
            @ForAll @IntRange(min = 1, max = 5) int s3, @ForAll @IntRange(max = 3) int z3,
            @ForAll @IntRange(max = 3) int e3) {
        Vote a = vote(s1, 1, z1, e1);
        Vote b = vote(s2, 1, z2, e2);
        Vote c = vote(s3, 1, z3, e3);
        assertFalse(a.beats(a));
        if (!a.equals(b)) {
            assertNotEquals(b.beats(a), a.beats(b));
        }
        if (a.beats(b) && b.beats(c)) {
            assertTrue(a.beats(c));
        }
        assertFalse(Vote.NONE.beats(a));
        assertTrue(a.beats(Vote.NONE));
    }

    @Property
    void epochComesBeforeZxid(@ForAll @LongRange(min = 1, max = 1000) long zxidLow,
            @ForAll @LongRange(min = 1001, max = 100000) long zxidHigh) {
        // ZOOKEEPER-1419: a higher currentEpoch wins even against a higher zxid and a higher server id.
        assertTrue(new Vote(1, zxidLow, 5).beats(new Vote(9, zxidHigh, 4)));
    }

    @Property
    void zxidHalves(@ForAll @LongRange(min = 0, max = 0xffffffffL) long epoch,
            @ForAll @LongRange(min = 0, max = 0xffffffffL) long counter) {
        long z = Zxid.make(epoch, counter);
        assertEquals(epoch, Zxid.epoch(z));
        assertEquals(counter, Zxid.counter(z));
    }
}
