package io.faultline.chaos.toxiproxy;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the embedded Toxiproxy-compatible server standalone, like {@code toxiproxy-server -host -port}. */
@Command(name = "faultline-toxiproxy", mixinStandardHelpOptions = true,
        description = "A Toxiproxy-API-compatible server (faultline's embedded Toxiproxy).")
public final class ToxiproxyMain implements Callable<Integer> {
    @Option(names = {"--host", "-host"}, defaultValue = "localhost", description = "API listen host (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = {"--port", "-port"}, defaultValue = "8474", description = "API listen port, 0 for any (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = {"--seed", "-seed"}, description = "seed for toxicity, jitter and slicer draws (default: random)")
    Long seed;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--port must be in 0..65535, got " + port);
        }
        ToxiproxyServer server = seed == null ? ToxiproxyServer.start(host, port) : ToxiproxyServer.start(host, port, seed);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "toxiproxy-shutdown"));
        // containers and scripts wait for this line
        System.out.println("faultline toxiproxy " + ToxiproxyServer.COMPATIBLE_VERSION + " API listening on "
                + server.apiHost() + ":" + server.apiPort() + " seed " + server.seed());
        System.out.flush();
        stopped.await();
        return 0;
    }

    public static void main(String[] args) {
        int code = new CommandLine(new ToxiproxyMain()).execute(args);
        if (code != 0) System.exit(code);
    }
}
