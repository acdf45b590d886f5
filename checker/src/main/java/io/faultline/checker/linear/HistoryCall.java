package io.faultline.checker.linear;

import io.faultline.checker.history.Op;
import io.faultline.checker.history.OpType;
import io.faultline.checker.model.Call;
import io.faultline.checker.model.FailMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A client operation: its invocation, its completion (null if pending) and where both are in the history.
 *
 * @param invoke        the invocation
 * @param completion    the ok/fail/info completion, or null if it never completed
 * @param invokePos     the invocation's position in the history list
 * @param completionPos the completion's position, or -1 if pending (an info completion counts as pending)
 * @param call          what the model sees
 */
public record HistoryCall(Op invoke, Op completion, int invokePos, int completionPos, Call call) {

    public boolean pending() {
        return call.pending();
    }

    /**
     * Pairs a history's invocations with their completions, in invocation order. Nemesis entries and info
     * entries with nothing open are skipped; under {@link FailMode#DROP} failed ops are dropped.
     *
     * @throws IllegalArgumentException for a completion with no invocation or a second open invocation
     */
    public static List<HistoryCall> pair(List<Op> history, FailMode failMode) {
        List<HistoryCall> calls = new ArrayList<>();
        List<Boolean> keep = new ArrayList<>();
        Map<Long, Integer> open = new HashMap<>();
        for (int pos = 0; pos < history.size(); pos++) {
            Op op = history.get(pos);
            if (op.isNemesis()) continue;
            Integer slot = open.get(op.process());
            if (op.type() == OpType.INVOKE) {
                if (slot != null) {
                    throw new IllegalArgumentException("op " + op.index() + ": process " + op.process()
                            + " invokes again while its invocation (op " + calls.get(slot).invoke.index() + ") is still open");
                }
                open.put(op.process(), calls.size());
                calls.add(new HistoryCall(op, null, pos, -1, null));
                keep.add(true);
                continue;
            }
            if (slot == null) {
                if (op.type() == OpType.INFO) continue; // a note, not a completion
                throw new IllegalArgumentException("op " + op.index() + ": " + op.type().jepsenName() + " completion on process "
                        + op.process() + " with no open invocation");
            }
            open.remove(op.process());
            HistoryCall c = calls.get(slot);
            switch (op.type()) {
                case OK -> calls.set(slot, complete(c, op, pos, Call.Outcome.OK));
                case FAIL -> {
                    if (failMode == FailMode.DROP) keep.set(slot, false);
                    else calls.set(slot, complete(c, op, pos, Call.Outcome.FAILED));
                }
                default -> calls.set(slot, complete(c, op, -1, Call.Outcome.PENDING));
            }
        }
        List<HistoryCall> out = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            if (!keep.get(i)) continue;
            HistoryCall c = calls.get(i);
            out.add(c.call != null ? c : complete(c, null, -1, Call.Outcome.PENDING));
        }
        return out;
    }

    private static HistoryCall complete(HistoryCall c, Op completion, int pos, Call.Outcome outcome) {
        Op inv = c.invoke;
        Object output = outcome == Call.Outcome.PENDING ? null : completion.value();
        Object key = inv.key() != null ? inv.key() : completion != null ? completion.key() : null;
        return new HistoryCall(inv, completion, c.invokePos, pos, new Call(inv.f(), inv.value(), output, outcome, key));
    }
}
