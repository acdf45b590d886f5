package io.faultline.workloads.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checker.Checkers;
import io.faultline.checker.history.Op;
import io.faultline.checker.history.OpType;
import io.faultline.workloads.cli.Main;
import io.faultline.workloads.history.HistoryFiles;
import io.faultline.workloads.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `faultline test` end to end with no-op clients and no cluster: the store, the progress line, analyze. */
class NoopRunTest {
    @TempDir
    Path store;

    @Test
    void aNoopTestWritesACompleteStoreAndAnalyzeReproducesIt() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = Main.run("test", "--system", "none", "--workload", "noop", "--time-limit", "2s", "--rate", "500",
                    "--concurrency", "4", "--nemesis", "none", "--seed", "42", "--store", store.toString());
        } finally {
            System.setOut(stdout);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        int expected = Checkers.names().contains("stats") ? 0 : 2;
        assertEquals(expected, code, printed);
        assertTrue(printed.contains("[faultline] "), printed);
        assertTrue(printed.contains("ok ") && printed.contains("in-flight"), "progress line: " + printed);

        Path run = new Store(store).latest();
        for (String f : List.of(Store.HISTORY, Store.TEST, Store.RESULTS, Store.REPORT)) {
            assertTrue(Files.size(run.resolve(f)) > 0, f);
        }
        assertTrue(Files.isSymbolicLink(store.resolve("latest")));
        Map<String, Object> test = Store.readJson(run.resolve(Store.TEST));
        assertEquals(42L, ((Number) test.get("seed")).longValue());
        assertEquals("noop", test.get("workload"));

        List<Op> history = HistoryFiles.read(run.resolve(Store.HISTORY)).ops();
        long oks = history.stream().filter(o -> o.type() == OpType.OK).count();
        long invokes = history.stream().filter(o -> o.type() == OpType.INVOKE).count();
        assertEquals(invokes, oks);
        // about 500 ops/s for 2 s
        assertTrue(oks > 700 && oks < 1300, oks + " ops");

        Map<String, Object> results = Store.readJson(run.resolve(Store.RESULTS));
        assertTrue(((Map<?, ?>) results.get("timings-ms")).containsKey("setup"));

        int again = Main.run("analyze", "latest", "--store", store.toString());
        assertEquals(expected, again);
    }
}
