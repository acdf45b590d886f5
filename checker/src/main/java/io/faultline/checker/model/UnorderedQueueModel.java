package io.faultline.checker.model;

import java.util.HashMap;
import java.util.Map;

/**
 * An unordered queue (a multiset): enqueue v; dequeue returns any element present. A nil dequeue means empty
 * under strict nil semantics and "unknown" under wildcard. Limitation: a pending (crashed) dequeue has no known
 * value, so it is treated as not having taken effect.
 */
public final class UnorderedQueueModel implements Model {
    private record QOp(boolean enqueue, Object value) {
    }

    private static final QOp NOOP = new QOp(false, null);
    private static final QOp DEQUEUE_EMPTY = new QOp(false, null);
    private final ModelConfig config;

    public UnorderedQueueModel(ModelConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "unordered-queue";
    }

    @Override
    public Object initialState() {
        return Map.of();
    }

    @Override
    public Object prepare(Call call) {
        if (call.failed()) return NOOP;
        return switch (call.f()) {
            case "enqueue" -> new QOp(true, Values.norm(call.value()));
            case "dequeue" -> {
                if (!call.ok()) yield NOOP;
                Object v = Values.norm(call.output());
                if (v == null) yield config.nilReads() == NilReads.WILDCARD ? NOOP : DEQUEUE_EMPTY;
                yield new QOp(false, v);
            }
            default -> throw new IllegalArgumentException("unordered-queue has no op '" + call.f() + "' (enqueue, dequeue)");
        };
    }

    @Override
    public Object step(Object state, Object op) {
        @SuppressWarnings("unchecked")
        Map<Object, Integer> bag = (Map<Object, Integer>) state;
        QOp o = (QOp) op;
        if (o == NOOP) return bag;
        if (o == DEQUEUE_EMPTY) return bag.isEmpty() ? bag : ILLEGAL;
        Map<Object, Integer> next = new HashMap<>(bag);
        if (o.enqueue) {
            next.merge(o.value, 1, Integer::sum);
        } else {
            Integer n = bag.get(o.value);
            if (n == null) return ILLEGAL;
            if (n == 1) next.remove(o.value);
            else next.put(o.value, n - 1);
        }
        return Map.copyOf(next);
    }

    @Override
    public boolean trivial(Object op) {
        return op == NOOP;
    }

    @Override
    public boolean readOnly(Object op) {
        return op == NOOP || op == DEQUEUE_EMPTY;
    }
}
