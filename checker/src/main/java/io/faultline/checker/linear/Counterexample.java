package io.faultline.checker.linear;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Why a partition is not linearizable, as far as the search got.
 *
 * @param partitionKey      the partition's key (null: the whole history)
 * @param op                index of the invocation that could not be linearized
 * @param opCompletion      index of its completion
 * @param description       that op, for people ("process 3 read 4")
 * @param concurrent        invocation indices of the ops concurrent with it
 * @param linearized        invocation indices of the longest linearizable prefix found, in linearization order
 * @param state             the model state after that prefix
 */
public record Counterexample(Object partitionKey, long op, long opCompletion, String description, List<Long> concurrent,
                             List<Long> linearized, String state) {

    /** Plain data for JSON results and reports. */
    public Map<String, Object> toData() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", partitionKey == null ? null : String.valueOf(partitionKey));
        m.put("op", op);
        m.put("opCompletion", opCompletion);
        m.put("description", description);
        m.put("concurrent", concurrent);
        m.put("linearized", linearized);
        m.put("state", state);
        return m;
    }
}
