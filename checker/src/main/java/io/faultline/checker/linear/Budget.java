package io.faultline.checker.linear;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** Limits shared by the partitions of one check: a deadline, a memory budget, and a stop flag. */
final class Budget {
    final long deadlineNanos;
    final long memoryBytes;
    final AtomicLong memoryUsed = new AtomicLong();
    final AtomicBoolean stop = new AtomicBoolean();

    Budget(long timeLimitNanos, long memoryBytes) {
        long now = System.nanoTime();
        this.deadlineNanos = timeLimitNanos > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + timeLimitNanos;
        this.memoryBytes = memoryBytes;
    }
}
