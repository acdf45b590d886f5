package io.faultline.checker.linear;

/**
 * The outcome of searching one partition.
 *
 * @param key            the partition key (null: whole history)
 * @param outcome        what the search found
 * @param reason         why it is unknown or cancelled, else null
 * @param counterexample for invalid partitions
 * @param ops            ops searched (after dropping ops that cannot matter)
 * @param states         configurations explored (cache entries)
 */
public record PartitionResult(Object key, Outcome outcome, String reason, Counterexample counterexample, int ops, long states) {
    public enum Outcome {
        LINEARIZABLE, NOT_LINEARIZABLE, UNKNOWN, CANCELLED
    }
}
