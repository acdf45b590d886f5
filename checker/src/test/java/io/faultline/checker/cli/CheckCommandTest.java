package io.faultline.checker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.checker.report.HtmlReportTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {
    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cl = new CommandLine(new CheckCommand());
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static final String GOOD = """
            {"index":0,"time":0,"type":"invoke","process":0,"f":"write","value":1}
            {"index":1,"time":5,"type":"ok","process":0,"f":"write","value":1}
            {"index":2,"time":6,"type":"invoke","process":1,"f":"cas","value":[1,2]}
            {"index":3,"time":7,"type":"invoke","process":0,"f":"read","value":null}
            {"index":4,"time":8,"type":"ok","process":0,"f":"read","value":2}
            {"index":5,"time":9,"type":"info","process":1,"f":"cas","value":[1,2]}
            """;

    @Test
    void validInvalidAndTable(@TempDir Path dir) throws Exception {
        Path good = Files.writeString(dir.resolve("good.jsonl"), GOOD);
        Path bad = Files.writeString(dir.resolve("bad.edn"), HtmlReportTest_BAD());
        Run g = run("--model", "cas-register", good.toString());
        assertEquals(0, g.exit(), g.err());
        assertTrue(g.out().contains("linearizable valid"), g.out());

        Path json = dir.resolve("r.json"), html = dir.resolve("r.html");
        Run b = run("--model", "cas-register", "--format", "edn", "--html", html.toString(), "--out", json.toString(), bad.toString());
        assertEquals(1, b.exit());
        assertTrue(b.out().contains("cannot be linearized"), b.out());
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertEquals(1, root.get("exitCode").asInt());
        assertEquals("invalid", root.at("/files/0/results/0/verdict").asText());
        assertEquals(2, root.at("/files/0/results/0/details/counterexamples/0/op").asInt());
        assertTrue(Files.readString(html).contains("data-violation='true'"));

        Run both = run(good.toString(), bad.toString(), "--html", html.toString());
        assertEquals(1, both.exit());
        assertTrue(both.out().startsWith("FILE"), both.out());
        assertTrue(both.out().contains("2 files: 1 valid, 1 invalid"), both.out());
        assertTrue(Files.exists(dir.resolve("r-good.html")) && Files.exists(dir.resolve("r-bad.html")));
    }

    private static String HtmlReportTest_BAD() {
        return HtmlReportTest.BAD;
    }

    @Test
    void malformedInputIsExit2WithFileAndLineAndNoStackTrace(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("x.jsonl"), GOOD + "{\"type\":\"ok\",\"process\":7,\"f\":\"read\"}\n");
        Run r = run(f.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains(f + ":7: completion (ok read) on process 7 with no open invocation"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        Run v = run("--verbose", f.toString());
        assertTrue(v.err().contains("\tat "), "stack trace with --verbose");
    }

    @Test
    void worstExitCodeAcrossFiles(@TempDir Path dir) throws Exception {
        Path good = Files.writeString(dir.resolve("good.jsonl"), GOOD);
        Path broken = Files.writeString(dir.resolve("broken.edn"), "[{:type :invoke");
        Run r = run(good.toString(), broken.toString(), dir.resolve("missing.edn").toString());
        assertEquals(2, r.exit());
        assertTrue(r.out().contains("error"), r.out());
        assertTrue(r.err().contains("no such file"), r.err());
    }

    @Test
    void unknownWhenTheBudgetRunsOut(@TempDir Path dir) throws Exception {
        // 14 concurrent pending-forever writes of distinct values and reads of each: a large search space.
        StringBuilder sb = new StringBuilder();
        int n = 16;
        for (int p = 0; p < n; p++) sb.append("{:process ").append(p).append(", :type :invoke, :f :write, :value ").append(p).append("}\n");
        for (int p = 0; p < n; p++) sb.append("{:process ").append(100 + p).append(", :type :invoke, :f :read, :value nil}\n");
        for (int p = n - 1; p >= 0; p--) sb.append("{:process ").append(100 + p).append(", :type :ok, :f :read, :value ").append((p * 7) % n).append("}\n");
        sb.append("{:process 200, :type :invoke, :f :read, :value nil}\n{:process 200, :type :ok, :f :read, :value 99}\n");
        Path f = Files.writeString(dir.resolve("hard.edn"), sb.toString());
        Run r = run("--memory-limit", "1m", "--time-limit", "20s", f.toString());
        assertEquals(3, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("unknown"), r.out());
    }

    @Test
    void badOptionsAreExit2() {
        assertEquals(2, run("--model", "nope", "x").exit());
        assertEquals(2, run("--time-limit", "soon", "x").exit());
        assertEquals(2, run("--nil-read", "maybe", "x").exit());
        assertEquals(2, run("--checker", "nope", "x").exit());
        assertEquals(2, run().exit());
        assertEquals(2, run("--bogus", "x").exit());
    }

    @Test
    void parsesDurationsAndSizes() {
        assertEquals(500, CheckCommand.parseDuration("500ms").toMillis());
        assertEquals(30_000, CheckCommand.parseDuration("30s").toMillis());
        assertEquals(120_000, CheckCommand.parseDuration("2m").toMillis());
        assertEquals(512L << 20, CheckCommand.parseSize("512m"));
        assertEquals(2L << 30, CheckCommand.parseSize("2GiB"));
    }
}
