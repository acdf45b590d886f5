package io.faultline.checker.cli;

import picocli.CommandLine;

/** Standalone entry point: {@code java -cp ... io.faultline.checker.cli.CheckMain --model cas-register FILE...}. */
public final class CheckMain {
    private CheckMain() {
    }

    /** Runs the check command and returns its exit code (bad usage: 2). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new CheckCommand());
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            cmd.getErr().println("error: " + ex);
            return CheckCommand.ERROR;
        });
        return cl.execute(args);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }
}
