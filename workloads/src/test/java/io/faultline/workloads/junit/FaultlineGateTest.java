package io.faultline.workloads.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checker.CheckResult;
import io.faultline.checker.Checkers;
import io.faultline.checker.Verdict;
import io.faultline.workloads.report.SyntheticHistories;
import io.faultline.workloads.runner.Analysis;
import io.faultline.workloads.runner.TestOptions;
import io.faultline.workloads.runner.TestResult;
import io.faultline.workloads.runner.TestRunner;
import io.faultline.workloads.workload.Workloads;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

@ExtendWith(FaultlineExtension.class)
class FaultlineGateTest {
    @TempDir
    Path tmp;

    @Test
    void theExtensionHandsOutAScenarioAndAValidRunPasses(FaultlineScenario scenario) throws Exception {
        assertEquals("zookeeper", scenario.options().system());
        assertTrue(scenario.options().store().toString().contains("FaultlineGateTest"));
        // no cluster needed for the no-op workload: the gate's whole path runs in a second
        TestResult r = scenario.name("noop-gate").workload("noop").nemesis().timeLimit(Duration.ofSeconds(1))
                .rate(200).store(tmp).output(new PrintStream(PrintStream.nullOutputStream())).seed(3)
                .system("none").failOnUnknown(Checkers.names().contains("stats")).assertValid();
        assertEquals(Verdict.VALID, r.verdict());
    }

    @Test
    void anInvalidHistoryFailsWithTheCheckersExplanation() throws Exception {
        TestOptions o = FaultlineScenario.of("zookeeper").store(tmp).seed(1).options();
        List<CheckResult> results = Analysis.check(Workloads.byName("register").checkers(TestRunner.optionsForChecking(o)),
                SyntheticHistories.staleSyncReads());
        TestResult bad = new TestResult(Analysis.overall(results), results, tmp, "synthetic", null, 80);
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> FaultlineScenario.assertValid(bad, true));
        assertTrue(e.getMessage().contains("the history is invalid"), e.getMessage());
        assertTrue(e.getMessage().contains("linearizable: invalid"), e.getMessage());
        assertTrue(e.getMessage().contains("report: "), e.getMessage());
    }

    @Test
    void badScenariosAreRejectedBeforeAnythingRuns() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FaultlineScenario.of("etcd").nodes(0).options());
        assertTrue(e.getMessage().contains("--system") && e.getMessage().contains("--nodes"), e.getMessage());
    }
}
