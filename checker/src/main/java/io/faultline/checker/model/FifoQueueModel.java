package io.faultline.checker.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A FIFO queue: enqueue v; dequeue returns the head (nil: the queue was empty). A pending dequeue, if it
 * took effect, removed the head.
 */
public final class FifoQueueModel implements Model {
    private record QOp(boolean enqueue, Object value, boolean known) {
    }

    private static final QOp NOOP = new QOp(false, null, false);

    public FifoQueueModel(ModelConfig config) {
    }

    @Override
    public String name() {
        return "fifo-queue";
    }

    @Override
    public Object initialState() {
        return List.of();
    }

    @Override
    public Object prepare(Call call) {
        if (call.failed()) return NOOP;
        return switch (call.f()) {
            case "enqueue" -> new QOp(true, Values.norm(call.value()), true);
            case "dequeue" -> new QOp(false, call.ok() ? Values.norm(call.output()) : null, call.ok());
            default -> throw new IllegalArgumentException("fifo-queue has no op '" + call.f() + "' (enqueue, dequeue)");
        };
    }

    @Override
    public Object step(Object state, Object op) {
        @SuppressWarnings("unchecked")
        List<Object> q = (List<Object>) state;
        QOp o = (QOp) op;
        if (o == NOOP) return q;
        if (o.enqueue) {
            List<Object> next = new ArrayList<>(q.size() + 1);
            next.addAll(q);
            next.add(o.value);
            return java.util.Collections.unmodifiableList(next);
        }
        if (q.isEmpty()) return o.known && o.value == null ? q : ILLEGAL;
        if (o.known && !Objects.equals(q.get(0), o.value)) return ILLEGAL;
        return List.copyOf(q.subList(1, q.size()));
    }

    @Override
    public boolean trivial(Object op) {
        return op == NOOP;
    }

    @Override
    public boolean readOnly(Object op) {
        return op == NOOP;
    }
}
