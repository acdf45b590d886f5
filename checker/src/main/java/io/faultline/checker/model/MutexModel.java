package io.faultline.checker.model;

/** A lock: acquire succeeds only when free, release only when held. */
public final class MutexModel implements Model {
    private static final Integer ACQUIRE = 1, RELEASE = 2, NOOP = 0;

    public MutexModel(ModelConfig config) {
    }

    @Override
    public String name() {
        return "mutex";
    }

    @Override
    public Object initialState() {
        return Boolean.FALSE;
    }

    @Override
    public Object prepare(Call call) {
        if (call.failed()) return NOOP;
        return switch (call.f()) {
            case "acquire" -> ACQUIRE;
            case "release" -> RELEASE;
            default -> throw new IllegalArgumentException("mutex has no op '" + call.f() + "' (acquire, release)");
        };
    }

    @Override
    public Object step(Object state, Object op) {
        boolean held = (Boolean) state;
        if (op == ACQUIRE) return held ? ILLEGAL : Boolean.TRUE;
        if (op == RELEASE) return held ? Boolean.FALSE : ILLEGAL;
        return state;
    }

    @Override
    public boolean readOnly(Object op) {
        return op == NOOP;
    }

    @Override
    public boolean trivial(Object op) {
        return op == NOOP;
    }

    @Override
    public String describe(Object state) {
        return (Boolean) state ? "held" : "free";
    }
}
