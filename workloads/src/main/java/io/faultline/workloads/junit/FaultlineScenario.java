package io.faultline.workloads.junit;

import io.faultline.checker.Verdict;
import io.faultline.workloads.runner.Systems;
import io.faultline.workloads.runner.TestOptions;
import io.faultline.workloads.runner.TestResult;
import io.faultline.workloads.runner.TestRunner;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.opentest4j.AssertionFailedError;

/**
 * A consistency gate for users' builds: describe a scenario, run it, and fail the test with the
 * checkers' explanation unless the history is valid.
 *
 * <pre>{@code
 * FaultlineScenario.of("zookeeper").nodes(3).workload("register").timeLimit(Duration.ofSeconds(30))
 *         .nemesis("partition", "kill").seed(42).assertValid();
 * }</pre>
 */
public final class FaultlineScenario {
    private TestOptions options;
    private PrintStream out = System.out;
    private boolean unknownFails = true;

    private FaultlineScenario(TestOptions options) {
        this.options = options;
    }

    /** A scenario on {@code system} (reference | zookeeper | none) with the CLI's defaults. */
    public static FaultlineScenario of(String system) {
        TestOptions d = TestOptions.defaults();
        return new FaultlineScenario(d.withSystem(system).withName(null)).store(Path.of("target", "faultline-store"));
    }

    private FaultlineScenario with(java.util.function.UnaryOperator<Object[]> change) {
        Object[] f = fields(options);
        change.apply(f);
        options = new TestOptions((String) f[0], (String) f[1], (String) f[2], (int) f[3], (int) f[4], (String) f[5],
                (int) f[6], (double) f[7], (Duration) f[8], cast(f[9]), (Duration) f[10], (Duration) f[11], (long) f[12],
                (String) f[13], (Duration) f[14], (Duration) f[15], (int) f[16], (boolean) f[17], (Path) f[18]);
        return this;
    }

    @SuppressWarnings("unchecked")
    private static List<String> cast(Object o) {
        return (List<String>) o;
    }

    private static Object[] fields(TestOptions o) {
        return new Object[] {o.name(), o.system(), o.backend(), o.nodes(), o.observers(), o.workload(), o.concurrency(),
                o.rate(), o.timeLimit(), o.nemesis(), o.nemesisInterval(), o.recovery(), o.seed(), o.readMode(),
                o.opTimeout(), o.sessionTimeout(), o.opsPerKey(), o.leaveRunning(), o.store()};
    }

    public FaultlineScenario name(String v) { return with(f -> { f[0] = v; return f; }); }
    public FaultlineScenario system(String v) { return with(f -> { f[1] = v; return f; }); }
    public FaultlineScenario backend(String v) { return with(f -> { f[2] = v; return f; }); }
    public FaultlineScenario nodes(int v) { return with(f -> { f[3] = v; return f; }); }
    public FaultlineScenario observers(int v) { return with(f -> { f[4] = v; return f; }); }
    public FaultlineScenario workload(String v) { return with(f -> { f[5] = v; return f; }); }
    public FaultlineScenario concurrency(int v) { return with(f -> { f[6] = v; return f; }); }
    public FaultlineScenario rate(double v) { return with(f -> { f[7] = v; return f; }); }
    public FaultlineScenario timeLimit(Duration v) { return with(f -> { f[8] = v; return f; }); }
    public FaultlineScenario nemesis(String... faults) { return with(f -> { f[9] = List.of(faults); return f; }); }
    public FaultlineScenario nemesisInterval(Duration v) { return with(f -> { f[10] = v; return f; }); }
    public FaultlineScenario recovery(Duration v) { return with(f -> { f[11] = v; return f; }); }
    public FaultlineScenario seed(long v) { return with(f -> { f[12] = v; return f; }); }
    public FaultlineScenario readMode(String v) { return with(f -> { f[13] = v; return f; }); }
    public FaultlineScenario opTimeout(Duration v) { return with(f -> { f[14] = v; return f; }); }
    public FaultlineScenario store(Path v) { return with(f -> { f[18] = v; return f; }); }

    /** Where the runner's progress goes (default System.out). */
    public FaultlineScenario output(PrintStream v) {
        this.out = v;
        return this;
    }

    /** Whether an unknown verdict (a checker could not decide) fails the gate; default true. */
    public FaultlineScenario failOnUnknown(boolean v) {
        this.unknownFails = v;
        return this;
    }

    public TestOptions options() {
        List<String> problems = options.problems();
        if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
        return options;
    }

    /** Runs the scenario and returns its result (no assertion). */
    public TestResult run() throws Exception {
        return new TestRunner(new Systems(), out).run(options());
    }

    /** Runs the scenario; fails with the checkers' explanation unless it is valid. */
    public TestResult assertValid() throws Exception {
        return assertValid(run(), unknownFails);
    }

    /** Fails with the checkers' explanation unless {@code result} is valid (or unknown, when allowed). */
    public static TestResult assertValid(TestResult result, boolean unknownFails) {
        if (result.verdict() == Verdict.INVALID || (unknownFails && result.verdict() == Verdict.UNKNOWN)) {
            throw new AssertionFailedError("faultline: the history is " + result.verdict().name().toLowerCase()
                    + "\n" + result.explanation() + "report: " + result.runDir().resolve("report.html").toAbsolutePath());
        }
        return result;
    }
}
