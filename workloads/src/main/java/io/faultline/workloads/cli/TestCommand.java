package io.faultline.workloads.cli;

import io.faultline.checker.Verdict;
import io.faultline.workloads.runner.TestOptions;
import io.faultline.workloads.runner.TestResult;
import io.faultline.workloads.runner.TestRunner;
import io.faultline.workloads.workload.Workloads;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `faultline test`: one test (or --test-count of them) end to end. */
@Command(name = "test", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs a test end to end: cluster up, clients, workload + nemesis for --time-limit, heal,"
                + " final reads, teardown, check, store and report.",
                "Exit: 0 valid, 1 invalid, 2 unknown, 254 bad arguments, 255 crashed."})
public final class TestCommand implements Callable<Integer> {
    @Mixin
    Scenario scenario = new Scenario();

    @Option(names = "--test-count", description = "Run the test this many times (seeds seed, seed+1, ...). Default ${DEFAULT-VALUE}.")
    int testCount = 1;

    @Override
    public Integer call() throws Exception {
        if (testCount < 1) throw new Main.BadArgumentsException(List.of("--test-count must be >= 1, got " + testCount));
        TestOptions base = scenario.toOptions();
        Verdict worst = Verdict.VALID;
        TestRunner runner = new TestRunner(Main.systems, System.out);
        for (int i = 0; i < testCount; i++) {
            TestResult r = runner.run(base.withSeed(base.seed() + i));
            worst = worst.worst(r.verdict());
        }
        return TestResult.exitCode(worst);
    }

    /** The options that define a scenario (shared by test, compare and demo). */
    public static final class Scenario {
        @Option(names = "--name", description = "Test name (store folder). Default: <system>-<workload>.")
        String name;

        @Option(names = "--system", description = "reference | zookeeper | none. Default ${DEFAULT-VALUE}.")
        String system = "reference";

        @Option(names = "--backend", description = "process | container. Default ${DEFAULT-VALUE}.")
        String backend = "process";

        @Option(names = "--nodes", description = "Voting members. Default ${DEFAULT-VALUE}.")
        int nodes = 3;

        @Option(names = "--observers", description = "Observers. Default ${DEFAULT-VALUE}.")
        int observers = 0;

        @Option(names = {"-w", "--workload"}, description = "register | set | counter | queue | lock | session | noop. Default ${DEFAULT-VALUE}.")
        String workload = "register";

        @Option(names = "--concurrency", description = "Client workers (one ZooKeeper session each). Default ${DEFAULT-VALUE}.")
        int concurrency = 5;

        @Option(names = "--rate", description = "Target ops/s across all workers. Default ${DEFAULT-VALUE}.")
        double rate = 50;

        @Option(names = "--time-limit", converter = DurationConverter.class, description = "Main phase length (60, 30s, 2m). Default 60s.")
        Duration timeLimit = Duration.ofSeconds(60);

        @Option(names = "--nemesis", split = ",", description = "Faults: partition, kill, pause, latency, leader-kill, leader-partition; or all | none. Default partition,kill.")
        List<String> nemesis = new ArrayList<>(List.of("partition", "kill"));

        @Option(names = "--nemesis-interval", converter = DurationConverter.class, description = "Fault duration and gap between faults. Default 5s.")
        Duration nemesisInterval = Duration.ofSeconds(5);

        @Option(names = "--recovery", converter = DurationConverter.class, description = "Wait after healing before the final phase. Default 5s.")
        Duration recovery = Duration.ofSeconds(5);

        @Option(names = "--seed", description = "Seed of all random choices. Default: random (printed and stored in test.json).")
        Long seed;

        @Option(names = "--read-mode", description = "Reads: plain (served locally) | sync (sync then read) | leader (via the leader). Default ${DEFAULT-VALUE}.")
        String readMode = "sync";

        @Option(names = "--op-timeout", converter = DurationConverter.class, description = "Per-op timeout; a late reply is info. Default 5s.")
        Duration opTimeout = Duration.ofSeconds(5);

        @Option(names = "--session-timeout", converter = DurationConverter.class, description = "ZooKeeper session timeout. Default 10s.")
        Duration sessionTimeout = Duration.ofSeconds(10);

        @Option(names = "--ops-per-key", description = "Register: ops per independent key. Default ${DEFAULT-VALUE}.")
        int opsPerKey = 200;

        @Option(names = "--leave-running", description = "Leave the cluster running after the test.")
        boolean leaveRunning;

        @Option(names = "--store", description = "Store root. Default ${DEFAULT-VALUE}.")
        Path store = Path.of("store");

        public TestOptions toOptions() {
            List<String> faults = new ArrayList<>();
            for (String f : nemesis) {
                String t = f.trim();
                if (t.isEmpty() || t.equals("none")) continue;
                if (t.equals("all")) faults.addAll(List.of("partition", "kill", "pause", "latency"));
                else faults.add(t);
            }
            List<String> problems = new ArrayList<>();
            if (!Workloads.names().contains(workload)) problems.add("unknown workload '" + workload + "'; known: " + Workloads.names());
            TestOptions o = new TestOptions(name, system, backend, nodes, observers, workload, concurrency, rate,
                    timeLimit, faults.stream().distinct().toList(), nemesisInterval, recovery,
                    seed != null ? seed : new java.security.SecureRandom().nextLong(), readMode, opTimeout,
                    sessionTimeout, opsPerKey, leaveRunning, store);
            problems.addAll(o.problems());
            if (!problems.isEmpty()) throw new Main.BadArgumentsException(problems);
            return o;
        }
    }
}
