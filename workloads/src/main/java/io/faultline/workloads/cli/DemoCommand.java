package io.faultline.workloads.cli;

import io.faultline.workloads.runner.TestOptions;
import io.faultline.workloads.runner.TestResult;
import io.faultline.workloads.runner.TestRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `faultline demo`: the README's main command. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "A 60-second register test of a 3-node reference ensemble (local processes, embedded Toxiproxy)"
                + " under partitions and leader kills; ends with the verdict and the report's path.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--system", description = "reference | zookeeper. Default ${DEFAULT-VALUE}.")
    String system = DEFAULT_SYSTEM;

    @Option(names = "--time-limit", converter = DurationConverter.class, description = "Default 60s.")
    Duration timeLimit = Duration.ofSeconds(60);

    @Option(names = "--seed", description = "Default: random.")
    Long seed;

    @Option(names = "--store", description = "Store root. Default ${DEFAULT-VALUE}.")
    Path store = Path.of("store");

    /** The system the demo runs by default. */
    static final String DEFAULT_SYSTEM = "reference";

    @Override
    public Integer call() throws Exception {
        if (!List.of("reference", "zookeeper").contains(system)) {
            throw new Main.BadArgumentsException(List.of("--system must be reference or zookeeper, got '" + system + "'"));
        }
        TestOptions o = new TestOptions("demo-" + system, system, "process", 3, 0, "register", 5, 50, timeLimit,
                List.of("partition", "leader-kill"), Duration.ofSeconds(5), Duration.ofSeconds(5),
                seed != null ? seed : new java.security.SecureRandom().nextLong(), "sync", Duration.ofSeconds(5),
                Duration.ofSeconds(10), 200, false, store);
        System.out.printf("faultline demo: %s, 3 nodes on local processes behind embedded Toxiproxy, register workload"
                + " (sync reads), partitions and leader kills every 5 s for %d s%n", system, timeLimit.toSeconds());
        TestResult r = new TestRunner(Main.systems, System.out).run(o);
        System.out.printf("%nfaultline demo: verdict %s for %s%nreport: %s%n", r.verdict(), r.system(),
                r.runDir().resolve("report.html").toAbsolutePath());
        return r.exitCode();
    }
}
