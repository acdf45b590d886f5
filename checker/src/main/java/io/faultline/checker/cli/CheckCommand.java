package io.faultline.checker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.faultline.checker.Anomaly;
import io.faultline.checker.CheckResult;
import io.faultline.checker.Checker;
import io.faultline.checker.CheckerOptions;
import io.faultline.checker.Checkers;
import io.faultline.checker.Verdict;
import io.faultline.checker.history.HistoryFormat;
import io.faultline.checker.history.HistoryFormatException;
import io.faultline.checker.history.HistoryReader;
import io.faultline.checker.history.Op;
import io.faultline.checker.linear.LinearizabilityChecker;
import io.faultline.checker.model.FailMode;
import io.faultline.checker.model.Models;
import io.faultline.checker.model.NilReads;
import io.faultline.checker.report.HtmlReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code faultline check}: checks recorded histories. Exit codes: 0 valid, 1 invalid, 2 error, 3 unknown; with
 * several files the worst (invalid, then error, then unknown, then valid).
 */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Check recorded histories (JSON Lines or Jepsen EDN) for linearizability and other properties.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:valid", "1:invalid", "2:error (bad input, bad options)", "3:unknown (time or memory budget reached)"})
public class CheckCommand implements Callable<Integer> {
    public static final int VALID = 0, INVALID = 1, ERROR = 2, UNKNOWN = 3;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "MODEL", description = "Datatype model for 'linearizable' (default ${DEFAULT-VALUE}): ${COMPLETION-CANDIDATES}",
            defaultValue = LinearizabilityChecker.DEFAULT_MODEL, completionCandidates = ModelNames.class)
    String model;

    @Option(names = "--format", paramLabel = "jsonl|edn", description = "History format (default: detected)")
    String format;

    @Option(names = "--nil-read", paramLabel = "wildcard|strict", defaultValue = "wildcard",
            description = "A nil read is 'unknown' (wildcard, Knossos; registers start at 0) or 'never written' (strict; registers start at nil). Default ${DEFAULT-VALUE}.")
    String nilRead;

    @Option(names = "--fail", paramLabel = "drop|observe", defaultValue = "drop",
            description = "A :fail op did not happen (drop, Knossos) or is an observation (observe, Porcupine: a failed cas saw another value). Default ${DEFAULT-VALUE}.")
    String fail;

    @Option(names = "--init", paramLabel = "VALUE", description = "Initial value, an EDN literal: 0, nil, \"\", {:x 0 :y 0}")
    String init;

    @Option(names = "--time-limit", paramLabel = "DURATION", defaultValue = "30s", description = "Per file and checker, e.g. 500ms, 30s, 5m. Default ${DEFAULT-VALUE}.")
    String timeLimit;

    @Option(names = "--memory-limit", paramLabel = "SIZE", description = "Search memory budget, e.g. 512m, 2g (default: half the free heap)")
    String memoryLimit;

    @Option(names = "--checker", split = ",", paramLabel = "NAME", defaultValue = LinearizabilityChecker.NAME,
            description = "Checkers to run, comma separated (default ${DEFAULT-VALUE}). Known: ${COMPLETION-CANDIDATES}",
            completionCandidates = CheckerNames.class)
    List<String> checkers;

    @Option(names = "--threads", paramLabel = "N", description = "Partitions searched in parallel (default: available processors)")
    Integer threads;

    @Option(names = "--html", paramLabel = "FILE", description = "Write a self-contained HTML report (several input files: one report each, named FILE-<input>.html)")
    Path html;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the results as JSON")
    Path out;

    @Option(names = "--verbose", description = "Stack traces on errors")
    boolean verbose;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "History files")
    List<Path> files;

    static final class ModelNames extends ArrayList<String> {
        ModelNames() {
            super(Models.names());
        }
    }

    static final class CheckerNames extends ArrayList<String> {
        CheckerNames() {
            super(Checkers.names());
        }
    }

    public CheckCommand() {
    }

    /** The result for one input file. */
    record FileOutcome(Path file, int exitCode, String error, List<CheckResult> results, long elapsedMs, int ops) {
    }

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        CheckerOptions options;
        HistoryFormat fmt;
        try {
            options = options();
            fmt = format == null ? null : HistoryFormat.parse(format);
            for (String name : checkers) Checkers.byName(name, options); // fail fast on bad names / models
        } catch (IllegalArgumentException e) {
            stderr.println("error: " + e.getMessage());
            if (verbose) e.printStackTrace(stderr);
            stderr.flush();
            return ERROR;
        }
        List<FileOutcome> outcomes = new ArrayList<>();
        for (Path file : files) {
            FileOutcome o = checkFile(file, fmt, options, stderr);
            outcomes.add(o);
        }
        printSummary(stdout, outcomes);
        int exit = worst(outcomes.stream().mapToInt(FileOutcome::exitCode).toArray());
        if (out != null) {
            try {
                writeJson(outcomes, exit);
            } catch (IOException e) {
                stderr.println("error: cannot write " + out + ": " + e.getMessage());
                exit = worst(new int[] {exit, ERROR});
            }
        }
        stdout.flush();
        stderr.flush();
        return exit;
    }

    private CheckerOptions options() {
        CheckerOptions o = CheckerOptions.defaults().withModel(model).withNilReads(NilReads.parse(nilRead))
                .withTimeLimit(parseDuration(timeLimit));
        if (memoryLimit != null) o = o.withMemoryBudget(parseSize(memoryLimit));
        FailMode.parse(fail);
        o = o.withExtra("fail", fail);
        if (init != null) {
            io.faultline.checker.history.EdnValues.parse(init);
            o = o.withExtra("init", init);
        }
        if (threads != null) {
            if (threads < 1) throw new IllegalArgumentException("--threads must be at least 1");
            o = o.withExtra("threads", String.valueOf(threads));
        }
        return o;
    }

    private FileOutcome checkFile(Path file, HistoryFormat fmt, CheckerOptions options, PrintWriter stderr) {
        long start = System.nanoTime();
        List<Op> history;
        try {
            history = HistoryReader.read(file, fmt);
        } catch (HistoryFormatException e) {
            return error(file, e.getMessage(), e, stderr, start);
        } catch (NoSuchFileException e) {
            return error(file, file + ": no such file", e, stderr, start);
        } catch (IOException e) {
            return error(file, file + ": " + e.getMessage(), e, stderr, start);
        }
        List<CheckResult> results = new ArrayList<>();
        int exit = VALID;
        for (String name : checkers) {
            CheckResult r;
            try {
                Checker c = Checkers.byName(name, options);
                r = c.check(history);
            } catch (RuntimeException e) {
                // bad ops for the model, malformed pairing from a programmatic history, ...
                String msg = e instanceof IllegalArgumentException ? e.getMessage() : e.toString();
                return error(file, file + ": " + name + ": " + msg, e, stderr, start);
            }
            results.add(r);
            exit = worst(new int[] {exit, exitCode(r.verdict())});
        }
        if (html != null) {
            Path target = files.size() == 1 ? html : siblingFor(html, file);
            try {
                Files.writeString(target, HtmlReport.render(file.getFileName().toString(), history, results), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return error(file, "cannot write " + target + ": " + e.getMessage(), e, stderr, start);
            }
        }
        return new FileOutcome(file, exit, null, results, (System.nanoTime() - start) / 1_000_000, history.size());
    }

    private FileOutcome error(Path file, String message, Exception e, PrintWriter stderr, long start) {
        stderr.println("error: " + message);
        if (verbose) e.printStackTrace(stderr);
        return new FileOutcome(file, ERROR, message, List.of(), (System.nanoTime() - start) / 1_000_000, 0);
    }

    static Path siblingFor(Path report, Path input) {
        String name = report.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = input.getFileName().toString().replaceAll("\\.[^.]*$", "");
        String newName = dot > 0 ? name.substring(0, dot) + "-" + stem + name.substring(dot) : name + "-" + stem;
        return report.resolveSibling(newName);
    }

    static int exitCode(Verdict v) {
        return switch (v) {
            case VALID -> VALID;
            case INVALID -> INVALID;
            case UNKNOWN -> UNKNOWN;
        };
    }

    /** Invalid is worst, then error, then unknown, then valid. */
    static int worst(int[] codes) {
        int best = VALID;
        for (int c : codes) if (rank(c) > rank(best)) best = c;
        return best;
    }

    private static int rank(int code) {
        return switch (code) {
            case INVALID -> 3;
            case ERROR -> 2;
            case UNKNOWN -> 1;
            default -> 0;
        };
    }

    private void printSummary(PrintWriter w, List<FileOutcome> outcomes) {
        if (outcomes.size() == 1) {
            FileOutcome o = outcomes.get(0);
            if (o.error() != null) return;
            for (CheckResult r : o.results()) {
                w.printf("%s: %s %s: %s%n", o.file(), r.checker(), r.verdict().name().toLowerCase(Locale.ROOT), r.summary());
                printAnomalies(w, r);
            }
            return;
        }
        int fileWidth = Math.max(4, outcomes.stream().mapToInt(o -> o.file().toString().length()).max().orElse(4));
        String fmtRow = "%-" + fileWidth + "s  %-14s  %-8s  %8s  %s%n";
        w.printf(fmtRow, "FILE", "CHECKER", "VERDICT", "MS", "SUMMARY");
        for (FileOutcome o : outcomes) {
            if (o.error() != null) {
                w.printf(fmtRow, o.file(), "-", "error", o.elapsedMs(), o.error());
                continue;
            }
            for (CheckResult r : o.results()) {
                String summary = r.summary().length() > 120 ? r.summary().substring(0, 117) + "..." : r.summary();
                w.printf(fmtRow, o.file(), r.checker(), r.verdict().name().toLowerCase(Locale.ROOT), o.elapsedMs(), summary);
            }
        }
        int exit = worst(outcomes.stream().mapToInt(FileOutcome::exitCode).toArray());
        w.printf("%d files: %d valid, %d invalid, %d unknown, %d errors; exit %d%n", outcomes.size(),
                count(outcomes, VALID), count(outcomes, INVALID), count(outcomes, UNKNOWN), count(outcomes, ERROR), exit);
    }

    private static long count(List<FileOutcome> outcomes, int code) {
        return outcomes.stream().filter(o -> o.exitCode() == code).count();
    }

    @SuppressWarnings("unchecked")
    private static void printAnomalies(PrintWriter w, CheckResult r) {
        Object cxs = r.details().get("counterexamples");
        if (cxs instanceof List<?> list && !list.isEmpty()) {
            for (Object o : list) {
                Map<String, Object> cx = (Map<String, Object>) o;
                w.printf("  counterexample%s:%n", cx.get("key") == null ? "" : " for key " + cx.get("key"));
                w.printf("    op %s (%s) cannot be linearized%n", cx.get("op"), cx.get("description"));
                w.printf("    concurrent ops: %s%n", cx.get("concurrent"));
                w.printf("    longest linearizable prefix (%d ops): %s%n", ((List<?>) cx.get("linearized")).size(), abbreviate(cx.get("linearized")));
                w.printf("    state after it: %s%n", cx.get("state"));
            }
            return;
        }
        int shown = 0;
        for (Anomaly a : r.anomalies()) {
            if (shown++ == 20) {
                w.printf("  ... %d more anomalies%n", r.anomalies().size() - 20);
                break;
            }
            w.printf("  %s: %s (ops %s)%n", a.kind(), a.description(), a.witnesses());
        }
    }

    private static String abbreviate(Object list) {
        List<?> l = (List<?>) list;
        if (l.size() <= 40) return l.toString();
        return "[... " + l.subList(l.size() - 40, l.size()).toString().substring(1);
    }

    private void writeJson(List<FileOutcome> outcomes, int exit) throws IOException {
        List<Object> fileData = new ArrayList<>();
        for (FileOutcome o : outcomes) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("file", o.file().toString());
            f.put("exitCode", o.exitCode());
            if (o.error() != null) f.put("error", o.error());
            f.put("ops", o.ops());
            f.put("elapsedMs", o.elapsedMs());
            f.put("results", o.results().stream().map(CheckCommand::resultData).toList());
            fileData.add(f);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("exitCode", exit);
        root.put("files", fileData);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), root);
    }

    /** A CheckResult as plain JSON data. */
    public static Map<String, Object> resultData(CheckResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("checker", r.checker());
        m.put("verdict", r.verdict().name().toLowerCase(Locale.ROOT));
        m.put("summary", r.summary());
        m.put("anomalyCounts", r.anomalyCounts());
        m.put("anomalies", r.anomalies().stream().map(a -> Map.of("kind", a.kind(), "description", a.description(),
                "witnesses", a.witnesses())).toList());
        m.put("details", jsonSafe(r.details()));
        return m;
    }

    private static Object jsonSafe(Object v) {
        return switch (v) {
            case null -> null;
            case Map<?, ?> m -> {
                Map<String, Object> out = new LinkedHashMap<>();
                m.forEach((k, x) -> out.put(String.valueOf(k), jsonSafe(x)));
                yield out;
            }
            case java.util.Collection<?> c -> c.stream().map(CheckCommand::jsonSafe).toList();
            case Number n -> n;
            case Boolean b -> b;
            case String s -> s;
            default -> String.valueOf(v);
        };
    }

    static Duration parseDuration(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        try {
            Duration d;
            if (t.endsWith("ms")) d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            else if (t.endsWith("s")) d = Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
            else if (t.endsWith("m")) d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
            else if (t.endsWith("h")) d = Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
            else d = Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("--time-limit must be positive: " + s);
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad --time-limit '" + s + "' (e.g. 500ms, 30s, 5m, 1h)");
        }
    }

    static long parseSize(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT).replaceAll("i?b$", "");
        long mult = 1;
        char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
        switch (last) {
            case 'k' -> mult = 1L << 10;
            case 'm' -> mult = 1L << 20;
            case 'g' -> mult = 1L << 30;
            default -> { }
        }
        if (mult > 1) t = t.substring(0, t.length() - 1);
        try {
            long v = Long.parseLong(t) * mult;
            if (v <= 0) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad --memory-limit '" + s + "' (e.g. 512m, 2g)");
        }
    }
}
