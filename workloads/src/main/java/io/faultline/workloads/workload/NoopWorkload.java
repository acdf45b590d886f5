package io.faultline.workloads.workload;

import io.faultline.checker.Checker;
import io.faultline.workloads.client.ClientFactory;
import io.faultline.workloads.client.NoopClient;
import io.faultline.workloads.gen.Gen;
import io.faultline.workloads.gen.Generator;
import io.faultline.workloads.gen.Invocation;
import java.util.List;

/** Clients that do nothing: measures the harness (generator, interpreter, history writer). */
public final class NoopWorkload implements Workload {
    @Override public String name() { return "noop"; }

    @Override public String description() { return "no-op client (harness benchmark); needs no cluster"; }

    @Override public ClientFactory clients(WorkloadOptions options) { return NoopClient.FACTORY; }

    @Override
    public Generator generator(WorkloadOptions options) {
        return Gen.repeat(r -> Invocation.of("noop", r.nextLong(1000)));
    }

    @Override public Generator finalGenerator(WorkloadOptions options) { return null; }

    @Override public List<Checker> checkers(WorkloadOptions options) {
        return CheckerSupport.registered("stats");
    }
}
