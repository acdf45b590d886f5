package io.faultline.checker.linear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checker.CheckResult;
import io.faultline.checker.CheckerOptions;
import io.faultline.checker.Verdict;
import io.faultline.checker.history.HistoryReader;
import io.faultline.checker.history.Op;
import io.faultline.checker.model.NilReads;
import io.faultline.checker.testutil.Shared;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every history in ../shared/histories reproduces the verdict its own project's test suite expects. */
class CorpusVerdictsTest {

    @TestFactory
    Stream<DynamicTest> knossosHistories() throws IOException {
        Path root = Shared.histories().resolve("knossos");
        List<String> lines = Files.readAllLines(root.resolve("VERDICTS.tsv"));
        List<String> header = List.of(lines.get(0).split("\t"));
        int file = header.indexOf("file"), model = header.indexOf("model"), init = header.indexOf("init"),
                expected = header.indexOf("expected"), source = header.indexOf("source");
        List<DynamicTest> tests = new ArrayList<>();
        int present = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] col = line.split("\t");
            Path path = root.resolve(col[file]);
            if (!Files.exists(path)) {
                // The verdict file itself says which histories are not in the snapshot.
                assertTrue(col[source].startsWith("MISSING"), "history listed but absent: " + path);
                continue;
            }
            present++;
            boolean valid = Boolean.parseBoolean(col[expected]);
            String initValue = col[init];
            tests.add(DynamicTest.dynamicTest(col[file], () -> {
                CheckerOptions opts = CheckerOptions.forModel(col[model]).withNilReads(NilReads.WILDCARD);
                if (!col[model].equals("mutex")) opts = opts.withExtra("init", initValue.replace(":", " "));
                List<Op> history = HistoryReader.read(path);
                CheckResult r = new LinearizabilityChecker(opts).check(history);
                assertEquals(valid ? Verdict.VALID : Verdict.INVALID, r.verdict(), r.summary());
                if (!valid) assertFalse(r.anomalies().isEmpty());
            }));
        }
        assertTrue(present >= 120, "only " + present + " knossos histories found");
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> knossosRegistersUnderStrictNilReadsWithNilInit() throws IOException {
        // The README's alternative semantics: initial value nil, a nil read means "never written".
        Path root = Shared.histories().resolve("knossos");
        List<String> lines = Files.readAllLines(root.resolve("VERDICTS.tsv"));
        List<String> header = List.of(lines.get(0).split("\t"));
        int file = header.indexOf("file"), model = header.indexOf("model"), x = header.indexOf("xcheck_init_nil_strict_nil");
        List<DynamicTest> tests = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] col = line.split("\t");
            if (!col[model].equals("cas-register") || col[x].equals("NA")) continue;
            boolean valid = Boolean.parseBoolean(col[x]);
            tests.add(DynamicTest.dynamicTest(col[file], () -> {
                CheckerOptions opts = CheckerOptions.forModel("cas-register").withNilReads(NilReads.STRICT);
                CheckResult r = new LinearizabilityChecker(opts).check(HistoryReader.read(root.resolve(col[file])));
                assertEquals(valid ? Verdict.VALID : Verdict.INVALID, r.verdict(), r.summary());
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> porcupineKvHistories() {
        Path root = Shared.histories().resolve("porcupine-kv");
        return Stream.of("c01-ok", "c01-bad", "c10-ok", "c10-bad", "c50-ok", "c50-bad").map(name -> DynamicTest.dynamicTest(name, () -> {
            CheckResult r = new LinearizabilityChecker(CheckerOptions.forModel("kv")).check(HistoryReader.read(root.resolve(name + ".txt")));
            assertEquals(name.endsWith("ok") ? Verdict.VALID : Verdict.INVALID, r.verdict(), r.summary());
        }));
    }
}
