package io.faultline.workloads.e2e;

import io.faultline.workloads.runner.TestOptions;
import io.faultline.workloads.runner.TestResult;
import java.nio.file.Path;

/** Lets end-to-end tests in other packages (the container one) share {@link EndToEnd}. */
public final class EndToEndAccess {
    private EndToEndAccess() {}

    public static TestOptions options(String system, String backend, Path store, long seed) {
        return EndToEnd.options(system, backend, store, seed);
    }

    public static TestResult runAndCheck(TestOptions o) throws Exception {
        return EndToEnd.runAndCheck(o);
    }
}
