package io.faultline.workloads.history;

import io.faultline.checker.history.Op;
import io.faultline.checker.history.OpType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The one place ops enter the history: assigns the dense index and the time (ns since test start),
 * keeps the ops in memory for checking, and appends each to the sink as it happens.
 * Thread-safe; the index order is the order ops were recorded.
 */
public final class HistoryRecorder implements AutoCloseable {
    public static final long FLUSH_INTERVAL_MS = 100;

    private final long startNanos;
    private final HistorySink sink;
    private final List<Op> ops = new ArrayList<>();
    private final ScheduledExecutorService flusher;
    private final AtomicLongArray counts = new AtomicLongArray(OpType.values().length);
    private IOException sinkError;
    private boolean closed;

    public HistoryRecorder(HistorySink sink) {
        this(sink, System.nanoTime());
    }

    public HistoryRecorder(HistorySink sink, long startNanos) {
        this.sink = sink;
        this.startNanos = startNanos;
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "history-flush");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(this::flushQuietly, FLUSH_INTERVAL_MS, FLUSH_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    public long startNanos() {
        return startNanos;
    }

    /** Nanoseconds since the test started. */
    public long now() {
        return System.nanoTime() - startNanos;
    }

    /** Records one op; returns it with its index and time. */
    public Op record(OpType type, long process, String f, Object value, Object key, String node, Long session,
                     Long zxid, Map<String, Object> extra) {
        synchronized (this) {
            Op op = new Op(ops.size(), now(), type, process, f, value, key, node, session, zxid, extra);
            ops.add(op);
            if (process != Op.NEMESIS) counts.incrementAndGet(type.ordinal());
            if (!closed && sinkError == null) {
                try {
                    sink.append(op);
                } catch (IOException e) {
                    sinkError = e; // keep recording in memory; close() reports the failure
                }
            }
            return op;
        }
    }

    /**
     * A client event that is not a reply (watch or session event): an invoke and its ok, adjacent and at
     * the same time, as history-format.md asks.
     */
    public synchronized void recordEvent(long process, String f, String node, Long session, Map<String, Object> extra) {
        record(OpType.INVOKE, process, f, null, null, node, session, null, extra);
        record(OpType.OK, process, f, null, null, node, session, null, extra);
    }

    /** A nemesis (fault) entry: type info, process nemesis, as Jepsen records them. */
    public Op recordNemesis(OpType type, String f, Object value) {
        return record(type, Op.NEMESIS, f, value, null, null, null, null, Map.of());
    }

    /** How many ops of this type were recorded so far (lock-free, for the progress line). */
    public long count(OpType type) {
        return counts.get(type.ordinal());
    }

    /** A copy of the history so far. */
    public synchronized List<Op> snapshot() {
        return List.copyOf(ops);
    }

    public synchronized int size() {
        return ops.size();
    }

    private void flushQuietly() {
        synchronized (this) {
            if (closed || sinkError != null) return;
            try {
                sink.flush();
            } catch (IOException e) {
                sinkError = e;
            }
        }
    }

    @Override
    public void close() {
        flusher.shutdownNow();
        synchronized (this) {
            if (closed) return;
            closed = true;
            try {
                sink.close();
            } catch (IOException e) {
                if (sinkError == null) sinkError = e;
            }
            if (sinkError != null) throw new UncheckedIOException("writing the history failed", sinkError);
        }
    }
}
