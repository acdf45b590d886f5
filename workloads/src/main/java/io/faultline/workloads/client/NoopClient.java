package io.faultline.workloads.client;

import io.faultline.workloads.gen.Invocation;

/** A client that does nothing and always succeeds: measures the harness itself. */
public final class NoopClient implements Client {
    public static final ClientFactory FACTORY = (worker, process, events) -> new NoopClient();

    @Override
    public Completion invoke(Invocation op) {
        return Completion.ok(op.value());
    }

    @Override
    public void close() {}
}
