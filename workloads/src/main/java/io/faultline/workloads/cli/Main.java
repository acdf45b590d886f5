package io.faultline.workloads.cli;

import io.faultline.workloads.runner.SystemUnderTest;
import io.faultline.workloads.runner.Systems;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `faultline` command line. Exit codes: 0 valid, 1 invalid, 2 unknown, 254 bad arguments, 255 crashed. */
@Command(name = "faultline", mixinStandardHelpOptions = true, version = "faultline 0.1.0",
        description = "Jepsen-style consistency testing for ZooKeeper-like coordination services.",
        subcommands = {TestCommand.class, DemoCommand.class, AnalyzeCommand.class, CompareCommand.class,
                ServeCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {
    public static final int EXIT_VALID = 0;
    public static final int EXIT_INVALID = 1;
    public static final int EXIT_UNKNOWN = 2;
    public static final int EXIT_BAD_ARGUMENTS = 254;
    public static final int EXIT_CRASHED = 255;

    /** How clusters are started; tests may swap it. */
    static volatile SystemUnderTest.Factory systems = new Systems();

    public static void main(String[] args) {
        absoluteClassPath();
        System.exit(run(args));
    }

    /** Node JVMs reuse this class path from other working directories: make `java -jar rel/faultline.jar` absolute. */
    static void absoluteClassPath() {
        String cp = System.getProperty("java.class.path", "");
        StringBuilder abs = new StringBuilder();
        for (String e : cp.split(java.io.File.pathSeparator)) {
            if (e.isBlank()) continue;
            if (!abs.isEmpty()) abs.append(java.io.File.pathSeparator);
            abs.append(java.nio.file.Path.of(e).toAbsolutePath().normalize());
        }
        System.setProperty("java.class.path", abs.toString());
    }

    public static int run(String... args) {
        return run(System.out, System.err, args);
    }

    public static int run(PrintStream out, PrintStream err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        addCheckerCommand(cli);
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("faultline: " + ex.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
            return EXIT_BAD_ARGUMENTS;
        });
        cli.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof BadArgumentsException || ex instanceof IllegalArgumentException) {
                c.getErr().println("faultline: " + ex.getMessage());
                return EXIT_BAD_ARGUMENTS;
            }
            c.getErr().println("faultline crashed: " + ex);
            ex.printStackTrace(new java.io.PrintWriter(c.getErr(), true));
            return EXIT_CRASHED;
        });
        return cli.execute(args);
    }

    /** The checker module's `check` command: check any stored history file with any checker. */
    private static void addCheckerCommand(CommandLine cli) {
        cli.addSubcommand("check", new io.faultline.checker.cli.CheckCommand());
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 0;
    }

    /** Bad option values found after parsing (exit 254). */
    static final class BadArgumentsException extends RuntimeException {
        BadArgumentsException(List<String> problems) {
            super(String.join("\n  ", new ArrayList<>(problems)));
        }
    }
}
