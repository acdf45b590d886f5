package io.faultline.workloads.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ci/consistency-gate.sh, the gate users put in their CI: its exit code and summary, run as a user runs it. */
class ConsistencyGateScriptIT {
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @TempDir
    Path dir;

    record Run(int exit, String output) {}

    Run gate(String systems, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", ROOT.resolve("ci/consistency-gate.sh").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("FAULTLINE_GATE_SYSTEMS", systems);
        pb.environment().put("GITHUB_STEP_SUMMARY", dir.resolve("summary.md").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "gate finished");
        return new Run(p.exitValue(), out);
    }

    @Test
    void passesAValidRunAndWritesTheSummary() throws Exception {
        Run r = gate("none", "--workload", "noop", "--time-limit", "1s", "--recovery", "0s",
                "--store", dir.resolve("store").toString());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("[gate] PASS"), r.output());
        String summary = Files.readString(dir.resolve("summary.md"));
        assertTrue(summary.contains("| none | 0 | valid |"), summary);
    }

    @Test
    void badArgumentsFailTheGateWith254() throws Exception {
        Run r = gate("none", "--no-such-option");
        assertEquals(254, r.exit(), r.output());
        assertTrue(r.output().contains("[gate] FAIL: exit 254"), r.output());
    }
}
