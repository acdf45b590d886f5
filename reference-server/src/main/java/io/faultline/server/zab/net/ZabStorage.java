package io.faultline.server.zab.net;

import io.faultline.server.zab.LogEntry;
import io.faultline.server.zab.ZabPeer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable ZAB state in dataDir: {@code acceptedEpoch} and {@code currentEpoch} (decimal, as ZooKeeper keeps them)
 * and the replicated history {@code zab/history.log}: records {@code int len, int crc32c, long zxid, data}.
 * Appends are buffered until {@link #sync()}; every other write is durable when the method returns.
 * A torn or corrupt tail (a crash mid-append) is cut off at load.
 */
public final class ZabStorage implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ZabStorage.class);
    private static final int HEADER = 16;

    private final Path dataDir;
    private final Path logFile;
    private FileChannel channel;
    private final List<Long> zxids = new ArrayList<>();
    private final List<Long> offsets = new ArrayList<>(); // start offset of each record
    private long size;
    private boolean dirty;

    public ZabStorage(Path dataDir) throws IOException {
        this.dataDir = dataDir;
        Files.createDirectories(dataDir.resolve("zab"));
        this.logFile = dataDir.resolve("zab").resolve("history.log");
        this.channel = FileChannel.open(logFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
    }

    /** Reads everything that survived; cuts a torn tail. */
    public ZabPeer.DurableState load() throws IOException {
        long accepted = readEpoch("acceptedEpoch");
        long current = readEpoch("currentEpoch");
        List<LogEntry> entries = new ArrayList<>();
        zxids.clear();
        offsets.clear();
        long pos = 0;
        long fileSize = channel.size();
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        long prev = 0;
        while (pos + HEADER <= fileSize) {
            header.clear();
            channel.read(header, pos);
            header.flip();
            int len = header.getInt();
            int crc = header.getInt();
            long zxid = header.getLong();
            if (len < 0 || pos + HEADER + len > fileSize || zxid <= prev) {
                break;
            }
            ByteBuffer data = ByteBuffer.allocate(len);
            channel.read(data, pos + HEADER);
            byte[] bytes = data.array();
            if (crc(zxid, bytes) != crc) {
                break;
            }
            entries.add(new LogEntry(zxid, bytes));
            zxids.add(zxid);
            offsets.add(pos);
            prev = zxid;
            pos += HEADER + len;
        }
        if (pos < fileSize) {
            log.warn("ZAB history {}: cutting {} bytes of torn or corrupt tail at offset {}", logFile, fileSize - pos, pos);
            channel.truncate(pos);
            channel.force(true);
        }
        size = pos;
        channel.position(size);
        return new ZabPeer.DurableState(Math.max(accepted, current), current, entries);
    }

    public void append(List<LogEntry> entries) throws IOException {
        for (LogEntry e : entries) {
            ByteBuffer b = ByteBuffer.allocate(HEADER + e.data().length);
            b.putInt(e.data().length).putInt(crc(e.zxid(), e.data())).putLong(e.zxid()).put(e.data()).flip();
            zxids.add(e.zxid());
            offsets.add(size);
            while (b.hasRemaining()) {
                size += channel.write(b, size);
            }
        }
        dirty = true;
    }

    /** fsync (fdatasync) the appends so far. Returns true if there was anything to sync. */
    public boolean sync() throws IOException {
        if (!dirty) {
            return false;
        }
        channel.force(false);
        dirty = false;
        return true;
    }

    /** Drop every record with zxid &gt; zxid; durable on return. */
    public void truncate(long zxid) throws IOException {
        sync();
        int keep = 0;
        while (keep < zxids.size() && zxids.get(keep) <= zxid) {
            keep++;
        }
        if (keep == zxids.size()) {
            return;
        }
        long cut = offsets.get(keep);
        zxids.subList(keep, zxids.size()).clear();
        offsets.subList(keep, offsets.size()).clear();
        channel.truncate(cut);
        channel.force(true);
        size = cut;
    }

    /** Replace the whole history (SNAP); durable on return. */
    public void replace(List<LogEntry> history) throws IOException {
        Path tmp = logFile.resolveSibling("history.log.tmp");
        channel.close();
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            for (LogEntry e : history) {
                ByteBuffer b = ByteBuffer.allocate(HEADER + e.data().length);
                b.putInt(e.data().length).putInt(crc(e.zxid(), e.data())).putLong(e.zxid()).put(e.data()).flip();
                while (b.hasRemaining()) {
                    out.write(b);
                }
            }
            out.force(true);
        }
        Files.move(tmp, logFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        fsyncDir(logFile.getParent());
        channel = FileChannel.open(logFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
        load();
    }

    /** Barrier semantics: earlier appends are made durable first. */
    public void writeAcceptedEpoch(long epoch) throws IOException {
        sync();
        writeEpoch("acceptedEpoch", epoch);
    }

    public void writeCurrentEpoch(long epoch) throws IOException {
        sync();
        writeEpoch("currentEpoch", epoch);
    }

    private long readEpoch(String name) throws IOException {
        Path p = dataDir.resolve(name);
        if (!Files.exists(p)) {
            return 0;
        }
        String s = Files.readString(p, StandardCharsets.US_ASCII).trim();
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IOException(p + " does not hold an epoch number: '" + s + "'");
        }
    }

    private void writeEpoch(String name, long epoch) throws IOException {
        Path tmp = dataDir.resolve(name + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            out.write(ByteBuffer.wrap(Long.toString(epoch).getBytes(StandardCharsets.US_ASCII)));
            out.force(true);
        }
        Files.move(tmp, dataDir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        fsyncDir(dataDir);
    }

    private static void fsyncDir(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // not every platform can fsync a directory; the rename itself is atomic
        }
    }

    private static int crc(long zxid, byte[] data) {
        CRC32C c = new CRC32C();
        c.update(ByteBuffer.allocate(8).putLong(0, zxid));
        c.update(data);
        return (int) c.getValue();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
