package io.faultline.workloads.workload;

import io.faultline.checker.Checker;
import io.faultline.workloads.client.ClientFactory;
import io.faultline.workloads.gen.Generator;
import java.util.List;

/** A workload: what clients do (client + generator) and how the history is judged (checkers). */
public interface Workload {
    String name();

    /** One line for --help and the report. */
    String description();

    ClientFactory clients(WorkloadOptions options);

    /** The main phase's client ops; endless (the runner applies rate and time limit). */
    Generator generator(WorkloadOptions options);

    /** The final phase after healing (e.g. one read per thread), or null for none. */
    Generator finalGenerator(WorkloadOptions options);

    List<Checker> checkers(WorkloadOptions options);
}
