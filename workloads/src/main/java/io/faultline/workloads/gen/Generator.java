package io.faultline.workloads.gen;

/**
 * A Jepsen-style generator: asked repeatedly by worker threads for their next operation.
 * Implementations are stateful and are called under the runner's generator lock only.
 * Build them with the combinators in {@link Gen}.
 */
@FunctionalInterface
public interface Generator {
    /**
     * The next step for {@code thread} (a client thread id, or {@link GenContext#NEMESIS_THREAD}).
     */
    Step next(GenContext ctx, int thread);
}
