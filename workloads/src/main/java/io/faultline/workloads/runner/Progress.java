package io.faultline.workloads.runner;

import io.faultline.checker.history.OpType;
import io.faultline.workloads.history.HistoryRecorder;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** The live progress line: elapsed/limit, ok/fail/info counts, ops in flight, active faults. */
public final class Progress implements AutoCloseable {
    private final Thread thread;
    private final PrintStream out;
    private final boolean interactive;
    private volatile boolean stop;
    private final Supplier<String> current;

    public Progress(PrintStream out, HistoryRecorder history, Duration limit, Supplier<List<String>> faults,
                    Supplier<Integer> inFlight, Duration every) {
        this.out = out;
        this.interactive = System.console() != null;
        this.current = () -> line(history, limit, faults.get(), inFlight.get());
        Duration period = interactive ? every : every.multipliedBy(5);
        this.thread = Thread.ofPlatform().daemon().name("progress").start(() -> {
            while (!stop) {
                try {
                    Thread.sleep(period);
                } catch (InterruptedException e) {
                    return;
                }
                if (!stop) print(line(history, limit, faults.get(), inFlight.get()));
            }
        });
    }

    public static String line(HistoryRecorder h, Duration limit, List<String> faults, int inFlight) {
        long elapsed = h.now() / 1_000_000_000L;
        return String.format("[faultline] %3ds/%ds  ok %d  fail %d  info %d  in-flight %d  faults %s",
                elapsed, limit.toSeconds(), h.count(OpType.OK), h.count(OpType.FAIL), h.count(OpType.INFO), inFlight,
                faults.isEmpty() ? "none" : String.join(",", faults));
    }

    private synchronized void print(String line) {
        if (interactive) out.print("\r" + line + "   ");
        else out.println(line);
        out.flush();
    }

    @Override
    public void close() {
        stop = true;
        thread.interrupt();
        // the final state, always, so even short or non-interactive runs show one progress line
        if (interactive) out.print("\r");
        out.println(current.get());
        out.flush();
    }
}
