package io.faultline.workloads.runner;

import io.faultline.checker.history.OpType;
import io.faultline.workloads.client.Client;
import io.faultline.workloads.client.ClientFactory;
import io.faultline.workloads.client.Completion;
import io.faultline.workloads.client.EventSink;
import io.faultline.workloads.gen.Gen;
import io.faultline.workloads.gen.GenContext;
import io.faultline.workloads.gen.Generator;
import io.faultline.workloads.gen.Invocation;
import io.faultline.workloads.gen.Step;
import io.faultline.workloads.history.HistoryRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jepsen's interpreter: worker threads ask the generator (under one lock) for ops, run them through
 * their client and record invoke and completion; the nemesis thread runs fault ops. After an info
 * completion a worker continues as a new process (process + concurrency) with a fresh client.
 */
public final class Interpreter {
    private static final Logger log = LoggerFactory.getLogger(Interpreter.class);
    /** Event process ids (watch and session events) are this plus the worker id. */
    public static final long EVENT_PROCESS_BASE = 1_000_000;
    private static final long MAX_IDLE_PARK_NANOS = 50_000_000;
    /** Extra field marking the close-session entries of sessions the interpreter gave up (not workload ops). */
    public static final String CLOSED_BY = "closed-by";
    private static final Map<String, Object> WORKER_CLOSE = Map.of(CLOSED_BY, "worker");

    private final Generator generator;
    private final ClientFactory clients;
    private final NemesisDriver nemesis;
    private final HistoryRecorder history;
    private final int concurrency;
    private final Context ctx;
    private final Object genLock = new Object();
    private volatile boolean aborted;

    public Interpreter(Generator generator, ClientFactory clients, NemesisDriver nemesis, HistoryRecorder history,
                       int concurrency, long seed) {
        this.generator = generator;
        this.clients = clients;
        this.nemesis = nemesis;
        this.history = history;
        this.concurrency = concurrency;
        this.ctx = new Context(new SplittableRandom(seed), concurrency, nemesis != null);
    }

    /** Ops in flight now (for the progress line). */
    public int inFlight() {
        return ctx.inFlight.get();
    }

    /** Stops handing out ops; running ops finish. */
    public void abort() {
        aborted = true;
    }

    /**
     * Runs until the generator is exhausted for every thread, or {@code hardDeadline} passes (then
     * workers are interrupted and their open ops stay without completion, i.e. indeterminate).
     */
    public void run(Duration hardDeadline) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            int worker = w;
            threads.add(Thread.ofVirtual().name("worker-" + w).start(() -> workerLoop(worker)));
        }
        if (nemesis != null) threads.add(Thread.ofVirtual().name("nemesis").start(this::nemesisLoop));
        long deadline = System.nanoTime() + hardDeadline.toNanos();
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            if (left > 0) t.join(Duration.ofNanos(left));
        }
        boolean stuck = false;
        for (Thread t : threads) {
            if (t.isAlive()) {
                stuck = true;
                t.interrupt();
            }
        }
        if (stuck) {
            aborted = true;
            log.warn("the run passed its hard deadline; interrupted stuck workers");
            for (Thread t : threads) t.join(Duration.ofSeconds(5));
        }
    }

    private Step next(int thread) {
        if (aborted) return Step.EXHAUSTED;
        synchronized (genLock) {
            ctx.now = history.now();
            return generator.next(ctx, thread);
        }
    }

    private boolean waitUntil(long untilNanos) {
        long left = untilNanos - history.now();
        if (left > 0) LockSupport.parkNanos(Math.min(left, MAX_IDLE_PARK_NANOS));
        return !Thread.currentThread().isInterrupted();
    }

    private void workerLoop(int worker) {
        long process = worker;
        Client client = null;
        EventSink events = (f, session, node, extra) -> history.recordEvent(EVENT_PROCESS_BASE + worker, f, node, session, extra);
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Step step = next(worker);
                if (step instanceof Step.Exhausted) break;
                if (step instanceof Step.Pending p) {
                    if (!waitUntil(p.untilNanos())) break;
                    continue;
                }
                Invocation op = ((Step.Emit) step).op();
                if (client != null && client.broken()) {
                    // e.g. its session expired while the worker waited (recovery before the final phase)
                    retire(client, process);
                    client = null;
                }
                if (client == null) {
                    try {
                        client = clients.open(worker, process, events);
                    } catch (Exception e) {
                        // could not even connect: the op never went out, so it definitely failed
                        ctx.inFlight.incrementAndGet();
                        history.record(OpType.INVOKE, process, op.f(), op.value(), op.key(), null, null, null, Map.of());
                        history.record(OpType.FAIL, process, op.f(), op.value(), op.key(), null, null, null,
                                Map.of("error", "connect: " + describe(e)));
                        ctx.inFlight.decrementAndGet();
                        LockSupport.parkNanos(100_000_000);
                        continue;
                    }
                }
                ctx.inFlight.incrementAndGet();
                Map<String, Object> invokeExtra = op.f().equals("read") && client instanceof ReadModeAware rm
                        ? Map.of("read-mode", rm.readMode()) : Map.of();
                history.record(OpType.INVOKE, process, op.f(), op.value(), op.key(), client.node(), client.sessionId(),
                        null, invokeExtra);
                Completion c;
                try {
                    c = client.invoke(op);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    c = Completion.info(op.value(), "interrupted");
                } catch (Exception | Error e) {
                    c = Completion.info(op.value(), describe(e));
                }
                history.record(c.type(), process, op.f(), c.value(), op.key(),
                        c.node() != null ? c.node() : client.node(),
                        c.session() != null ? c.session() : client.sessionId(), c.zxid(), c.extra());
                client.completionRecorded();
                ctx.inFlight.decrementAndGet();
                if (c.type() == OpType.INFO) {
                    // Jepsen: an indeterminate op leaves the process blocked forever; continue as a new one
                    process += concurrency;
                    retire(client, process);
                    client = null;
                } else if (client.broken()) {
                    retire(client, process);
                    client = null;
                }
            }
        } finally {
            retire(client, process);
        }
    }

    /**
     * Closes a worker's client. Closing ends its session (a closeSession, or expiry if that never reaches
     * the server), and with it the session's ephemerals and locks; the history must say so, or the
     * checkers would hold the system to a session the worker gave up. So a session's close is recorded as
     * a close-session (no zxid: when it took effect is unknown) on the worker's current process, which
     * is idle here (after an info it is already the fresh process).
     */
    private void retire(Client client, long process) {
        if (client == null) return;
        Long session = client.sessionId();
        if (session == null || session == 0) {
            closeQuietly(client);
            return;
        }
        String node = client.node();
        history.record(OpType.INVOKE, process, "close-session", null, null, node, session, null, WORKER_CLOSE);
        closeQuietly(client);
        history.record(OpType.OK, process, "close-session", null, null, node, session, null, WORKER_CLOSE);
    }

    private void nemesisLoop() {
        while (!Thread.currentThread().isInterrupted()) {
            Step step = next(GenContext.NEMESIS_THREAD);
            if (step instanceof Step.Exhausted) break;
            if (step instanceof Step.Pending p) {
                if (!waitUntil(p.untilNanos())) break;
                continue;
            }
            Invocation op = ((Step.Emit) step).op();
            history.recordNemesis(OpType.INFO, op.f(), op.value());
            Object result;
            try {
                if (op.f().equals("heal-all")) {
                    nemesis.healAll();
                    result = "healed";
                } else {
                    result = nemesis.invoke(op);
                }
            } catch (Exception e) {
                result = "error: " + describe(e);
                log.warn("nemesis op {} failed", op.f(), e);
            }
            history.recordNemesis(OpType.INFO, op.f(), result);
        }
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private static void closeQuietly(Client c) {
        if (c == null) return;
        try {
            c.close();
        } catch (RuntimeException e) {
            log.debug("closing a client failed", e);
        }
    }

    /** Clients whose reads have a mode (plain, sync, leader) say so on the read's invoke. */
    public interface ReadModeAware {
        String readMode();
    }

    private static final class Context implements GenContext, Gen.NemesisAware {
        final SplittableRandom random;
        final int threads;
        final boolean nemesis;
        final AtomicInteger inFlight = new AtomicInteger();
        long now;

        Context(SplittableRandom random, int threads, boolean nemesis) {
            this.random = random;
            this.threads = threads;
            this.nemesis = nemesis;
        }

        @Override public long nanos() { return now; }
        @Override public SplittableRandom random() { return random; }
        @Override public int threads() { return threads; }
        @Override public int inFlight() { return inFlight.get(); }
        @Override public boolean hasNemesis() { return nemesis; }
    }

    static Map<String, Object> mapOf(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) if (kv[i + 1] != null) m.put((String) kv[i], kv[i + 1]);
        return m;
    }
}
