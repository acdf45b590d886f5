package io.faultline.chaos.toxiproxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One direction of one connection: a reader thread stamps chunks of up to 32 KiB with their read
 * time and queues them (bounded); a processor thread runs each chunk through the proxy's current
 * toxic chain for this direction and writes it to the destination.
 *
 * <p>Why this shape: every wait inside a toxic is a condition wait that a chain change wakes, and
 * the control plane only swaps an immutable chain and signals, so an API call never waits for a
 * blocked socket (the real server's "wedge"). Because reading goes on while a chunk waits, latency
 * is measured from read time and does not cap throughput.
 */
final class Link {
    static final int CHUNK_SIZE = 32 * 1024;
    static final int MAX_QUEUED_CHUNKS = 1024;
    static final long MAX_QUEUED_BYTES = 16L * 1024 * 1024;

    /** Thrown inside the processor to end the link (and close its destination). */
    private static final class CloseLink extends RuntimeException {
        CloseLink() {
            super(null, null, false, false);
        }
    }

    private static final CloseLink CLOSE = new CloseLink();

    private record Chunk(byte[] data, long stampNanos) {}

    /** Per-link state of one toxic stage; touched only by the processor thread. */
    private static final class Stage {
        long epoch;
        boolean active;
        long timerStart;
        long limitCount;
        long bandwidthNext;
    }

    private final Connection connection;
    private final Direction direction;
    private final Socket source;
    private final Socket destination;
    private final SplittableRandom random;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signal = lock.newCondition();
    private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean inputEnded;
    private volatile boolean ended;
    private final Map<Long, Stage> stages = new HashMap<>();
    private List<Toxic> stagesFor;
    private OutputStream out;

    Link(Connection connection, Direction direction, Socket source, Socket destination, SplittableRandom random) {
        this.connection = connection;
        this.direction = direction;
        this.source = source;
        this.destination = destination;
        this.random = random;
    }

    void start() {
        String name = connection.proxy.name() + "-" + direction.name().toLowerCase();
        Thread.ofVirtual().name(name + "-read").start(this::readLoop);
        Thread.ofVirtual().name(name + "-toxics").start(this::processLoop);
    }

    void wake() {
        lock.lock();
        try {
            signal.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void readLoop() {
        byte[] buffer = new byte[CHUNK_SIZE];
        try {
            InputStream in = source.getInputStream();
            while (true) {
                int n = in.read(buffer);
                if (n < 0) break;
                Chunk chunk = new Chunk(Arrays.copyOf(buffer, n), System.nanoTime());
                lock.lock();
                try {
                    while (!ended && (queue.size() >= MAX_QUEUED_CHUNKS || queuedBytes >= MAX_QUEUED_BYTES)) {
                        signal.await();
                    }
                    if (ended) return;
                    queue.add(chunk);
                    queuedBytes += n;
                    signal.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        } catch (IOException | InterruptedException e) {
            // the source closed under us (peer reset, or the other link closed it): input ends
        } finally {
            lock.lock();
            try {
                inputEnded = true;
                signal.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private void processLoop() {
        try {
            out = destination.getOutputStream();
            while (true) {
                Chunk chunk = next();
                if (chunk == null) {
                    onInputEnd();
                    break;
                }
                pass(chunk.data(), chunk.stampNanos(), new HashSet<>());
            }
        } catch (CloseLink | IOException | InterruptedException e) {
            // the link ends: fall through to closing the destination
        } finally {
            ended = true;
            Connection.closeQuietly(destination);
            wake();
            connection.linkEnded();
        }
    }

    private List<Toxic> chain() {
        return connection.proxy.chain(direction);
    }

    /** Draws toxicity for stages that are new or were restarted since last seen. */
    private void refreshStages() {
        List<Toxic> chain = chain();
        if (chain == stagesFor) return;
        long now = System.nanoTime();
        Set<Long> present = new HashSet<>();
        for (Toxic t : chain) {
            present.add(t.instanceId());
            Stage s = stages.get(t.instanceId());
            if (s == null) {
                s = new Stage();
                s.epoch = t.epoch() - 1;
                stages.put(t.instanceId(), s);
            }
            if (s.epoch != t.epoch()) {
                // a (re)started stage: new toxicity draw, fresh timers; limit_data's count survives
                s.epoch = t.epoch();
                s.active = random.nextDouble() < t.toxicity();
                s.timerStart = now;
                s.bandwidthNext = 0;
            }
        }
        stages.keySet().retainAll(present);
        stagesFor = chain;
    }

    private Stage stage(Toxic t) {
        refreshStages();
        Stage s = stages.get(t.instanceId());
        if (s == null) { // chain moved on between lookups: treat as a fresh stage of this snapshot
            s = new Stage();
            s.epoch = t.epoch();
            s.active = random.nextDouble() < t.toxicity();
            s.timerStart = System.nanoTime();
        }
        return s;
    }

    private boolean restarted(Toxic t) {
        for (Toxic current : chain()) {
            if (current.instanceId() == t.instanceId()) return current.epoch() != t.epoch();
        }
        return true;
    }

    /** Earliest time an active timeout toxic closes this link for idleness, or Long.MAX_VALUE. */
    private long idleDeadline() {
        refreshStages();
        long deadline = Long.MAX_VALUE;
        for (Toxic t : stagesFor) {
            if (t.type() != ToxicType.TIMEOUT) continue;
            long timeout = t.attr("timeout");
            Stage s = stages.get(t.instanceId());
            if (timeout > 0 && s != null && s.active) {
                deadline = Math.min(deadline, s.timerStart + TimeUnit.MILLISECONDS.toNanos(timeout));
            }
        }
        return deadline;
    }

    /** Next queued chunk, or null once input ended and the queue is drained. */
    private Chunk next() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (connection.isClosed()) throw CLOSE;
                Chunk chunk = queue.poll();
                if (chunk != null) {
                    queuedBytes -= chunk.data().length;
                    signal.signalAll();
                    return chunk;
                }
                if (inputEnded) return null;
                long idle = idleDeadline();
                if (idle == Long.MAX_VALUE) {
                    signal.await();
                } else {
                    long wait = idle - System.nanoTime();
                    if (wait <= 0) throw CLOSE;
                    signal.awaitNanos(wait);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until {@code deadline} (nanoTime; Long.MAX_VALUE = until interrupted). Returns false
     * early if {@code toxic}'s stage was restarted or removed (null: not interruptible). Ends the
     * link if the connection closes or a timeout toxic fires meanwhile.
     */
    private boolean pause(long deadline, Toxic toxic) throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (connection.isClosed()) throw CLOSE;
                if (toxic != null && restarted(toxic)) return false;
                long now = System.nanoTime();
                long idle = idleDeadline();
                if (idle <= now) throw CLOSE;
                long until = Math.min(deadline, idle);
                if (until <= now) return true;
                if (until == Long.MAX_VALUE) signal.await();
                else signal.awaitNanos(until - now);
            }
        } finally {
            lock.unlock();
        }
    }

    private Toxic nextToxic(Set<Long> done) {
        for (Toxic t : chain()) {
            if (!done.contains(t.instanceId())) return t;
        }
        return null;
    }

    /** Runs data through the stages not yet in {@code done}, then writes it. */
    private void pass(byte[] data, long stamp, Set<Long> done) throws IOException, InterruptedException {
        Toxic t;
        while ((t = nextToxic(done)) != null) {
            done.add(t.instanceId());
            Stage s = stage(t);
            if (!s.active) continue;
            switch (t.type()) {
                case LATENCY -> {
                    long delayMs = t.attr("latency");
                    long jitter = t.attr("jitter");
                    if (jitter > 0) delayMs += random.nextLong(-jitter, jitter);
                    long deadline = stamp + TimeUnit.MILLISECONDS.toNanos(delayMs);
                    long before = System.nanoTime();
                    if (delayMs > 0 && deadline > before) {
                        pause(deadline, t);
                        stamp += System.nanoTime() - before; // chained latencies add up
                    }
                }
                case BANDWIDTH -> {
                    bandwidth(t, s, data, stamp, done);
                    return;
                }
                case TIMEOUT -> {
                    s.timerStart = System.nanoTime(); // data is dropped; the idle timer restarts
                    return;
                }
                case RESET_PEER -> {
                    // the first chunk is discarded; the wait is not interruptible by chain changes
                    pause(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, t.attr("timeout"))), null);
                    throw CLOSE;
                }
                case SLICER -> {
                    slicer(t, data, stamp, done);
                    return;
                }
                case LIMIT_DATA -> {
                    long allowed = t.attr("bytes") - s.limitCount;
                    if (allowed <= 0) throw CLOSE;
                    if (data.length >= allowed) {
                        s.limitCount += allowed;
                        pass(Arrays.copyOf(data, (int) allowed), stamp, done);
                        throw CLOSE;
                    }
                    s.limitCount += data.length;
                }
                case SLOW_CLOSE, NOOP -> { /* data passes unchanged */ }
            }
        }
        out.write(data);
    }

    private void bandwidth(Toxic t, Stage s, byte[] data, long stamp, Set<Long> done)
            throws IOException, InterruptedException {
        long rate = t.attr("rate"); // KB/s, KB = 1000 bytes
        if (rate <= 0) {
            // rate 0 is a lossless pause: hold the chunk until the stage restarts or is removed
            pause(Long.MAX_VALUE, t);
            pass(data, stamp, done);
            return;
        }
        long bytesPerSecond = rate * 1000;
        int sliceMax = (int) Math.min(Integer.MAX_VALUE, Math.max(1, rate * 100)); // 100 ms worth
        int offset = 0;
        while (offset < data.length) {
            int n = Math.min(data.length - offset, sliceMax);
            long cost = n * 1_000_000_000L / bytesPerSecond;
            s.bandwidthNext = Math.max(s.bandwidthNext, System.nanoTime()) + cost;
            if (!pause(s.bandwidthNext, t)) { // interrupted: the rest goes on in one piece
                pass(Arrays.copyOfRange(data, offset, data.length), stamp, new HashSet<>(done));
                return;
            }
            pass(Arrays.copyOfRange(data, offset, offset + n), stamp, new HashSet<>(done));
            offset += n;
        }
    }

    private void slicer(Toxic t, byte[] data, long stamp, Set<Long> done) throws IOException, InterruptedException {
        int average = (int) Math.max(1, Math.min(Integer.MAX_VALUE, t.attr("average_size")));
        int variation = (int) Math.max(0, Math.min(Integer.MAX_VALUE / 2, t.attr("size_variation")));
        long delayMicros = Math.max(0, t.attr("delay"));
        List<int[]> pieces = Slicing.pieces(data.length, average, variation, random);
        for (int i = 0; i < pieces.size(); i++) {
            int[] piece = pieces.get(i);
            pass(Arrays.copyOfRange(data, piece[0], piece[0] + piece[1]), stamp, new HashSet<>(done));
            if (delayMicros > 0 && i + 1 < pieces.size()) {
                if (!pause(System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(delayMicros), t)) {
                    int from = pieces.get(i + 1)[0];
                    pass(Arrays.copyOfRange(data, from, data.length), stamp, new HashSet<>(done));
                    return;
                }
            }
        }
    }

    /** The source ended: reset_peer and slow_close act on the end of input, in chain order. */
    private void onInputEnd() throws InterruptedException {
        refreshStages();
        for (Toxic t : stagesFor) {
            Stage s = stages.get(t.instanceId());
            if (s == null || !s.active) continue;
            switch (t.type()) {
                case RESET_PEER -> {
                    pause(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, t.attr("timeout"))), null);
                    return;
                }
                case SLOW_CLOSE -> pause(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, t.attr("delay"))), t);
                default -> { }
            }
        }
    }
}
