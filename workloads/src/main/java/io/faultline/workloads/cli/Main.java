package io.faultline.workloads.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `faultline` command line. Exit codes: 0 valid, 1 invalid, 2 unknown/error, 254 bad arguments, 255 crashed. */
@Command(name = "faultline", mixinStandardHelpOptions = true, version = "faultline 0.1.0",
        description = "Jepsen-style consistency testing for ZooKeeper-like coordination services.",
        subcommands = {Main.Demo.class})
public final class Main implements Callable<Integer> {
    public static final int EXIT_BAD_ARGUMENTS = 254;
    public static final int EXIT_CRASHED = 255;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExitCodeExceptionMapper(e -> EXIT_CRASHED);
        cli.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println(ex.getMessage());
            ex.getCommandLine().usage(ex.getCommandLine().getErr());
            return EXIT_BAD_ARGUMENTS;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 0;
    }

    @Command(name = "demo", mixinStandardHelpOptions = true,
            description = "A 60-second register test of a 3-node reference ensemble under partitions and leader kills.")
    static final class Demo implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.println("faultline demo: the test runner is not built yet (issue: workloads runner).");
            CommandLine.usage(new Main(), System.out);
            return 0;
        }
    }
}
