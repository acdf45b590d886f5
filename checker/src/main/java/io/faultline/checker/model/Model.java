package io.faultline.checker.model;

/**
 * A sequential datatype specification for the linearizability search. States are immutable values with
 * {@code equals}/{@code hashCode}; {@link #step} is pure. Adding a model is one class plus a line in {@link Models}.
 */
public interface Model {
    /** Returned by {@link #step} when the op cannot happen in that state. */
    Object ILLEGAL = new Object() {
        @Override
        public String toString() {
            return "ILLEGAL";
        }
    };

    String name();

    /** The state before any op. */
    Object initialState();

    /**
     * Compiles a call into this model's op representation, once, before the search.
     *
     * @throws IllegalArgumentException if the model does not know the op or its value is malformed
     */
    Object prepare(Call call);

    /** The state after {@code op}, or {@link #ILLEGAL}. Must not modify {@code state}. */
    Object step(Object state, Object op);

    /** True if the op never changes the state (reads): a pending read can be dropped. */
    default boolean readOnly(Object op) {
        return false;
    }

    /**
     * Optional, for search pruning: false only if {@code other} is never made legal by {@code op}'s effect, i.e.
     * every state in which other is legal right after op (before any other op) is one in which other is legal
     * without op too, and other legal after op implies nothing else needs op. The search then never linearizes a
     * crashed op when no remaining op could need its effect. Must be sound; the default (true) never prunes.
     */
    default boolean mayEnable(Object op, Object other) {
        return true;
    }

    /** True if {@link #mayEnable} is implemented (the search skips the check otherwise). */
    default boolean hasEnablingRelation() {
        return false;
    }

    /** True if the op is legal in every state and changes nothing (e.g. a wildcard nil read): it can be dropped. */
    default boolean trivial(Object op) {
        return false;
    }

    /** Ops with different partition keys are independent (P-compositionality); null means one partition. */
    default Object partitionKey(Call call) {
        return call.key();
    }

    /** A short text for people: a state. */
    default String describe(Object state) {
        return String.valueOf(state);
    }
}
