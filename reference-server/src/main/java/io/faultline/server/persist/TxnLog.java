package io.faultline.server.persist;

import io.faultline.server.txn.Txn;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Append-only transaction log in {@code <dir>/version-2/log.<hex first zxid>} files.
 * File = 8-byte header ("FLTL", int version 1), then records {@code int len, long crc32c(payload), payload}
 * where payload is {@link Txn#serialize()}. Not thread-safe: one writer thread owns it.
 */
public final class TxnLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TxnLog.class);
    static final int MAGIC = 0x46544C54; // "FLTL"
    static final int VERSION = 1;
    static final int HEADER = 8;
    static final int RECORD_OVERHEAD = 12;
    private static final long ROLL_BYTES = 64L << 20;

    private final Path dir;
    private FileChannel channel;
    private long fileBytes;
    private ByteBuffer buffer = ByteBuffer.allocate(1 << 16);

    public TxnLog(Path dataLogDir) throws IOException {
        this.dir = dataLogDir.resolve("version-2");
        Files.createDirectories(dir);
    }

    public Path dir() { return dir; }

    /** Buffers one record; it is durable only after {@link #flush()}. */
    public void append(Txn txn) throws IOException {
        if (channel == null || fileBytes >= ROLL_BYTES) roll(txn.zxid());
        byte[] payload = txn.serialize();
        var crc = new CRC32C();
        crc.update(payload);
        int need = RECORD_OVERHEAD + payload.length;
        if (buffer.remaining() < need) {
            writeBuffer();
            if (buffer.capacity() < need) buffer = ByteBuffer.allocate(need);
        }
        buffer.putInt(payload.length).putLong(crc.getValue()).put(payload);
        fileBytes += need;
    }

    /** Writes buffered records and fsyncs (fdatasync) them. */
    public void flush() throws IOException {
        if (channel == null) return;
        writeBuffer();
        channel.force(false);
    }

    private void writeBuffer() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) channel.write(buffer);
        buffer.clear();
    }

    private void roll(long firstZxid) throws IOException {
        if (channel != null) {
            flush();
            channel.close();
        }
        Path file = dir.resolve("log." + Long.toHexString(firstZxid));
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        ByteBuffer header = ByteBuffer.allocate(HEADER).putInt(MAGIC).putInt(VERSION).flip();
        while (header.hasRemaining()) channel.write(header);
        channel.force(true);
        fsyncDir(dir);
        fileBytes = HEADER;
        log.info("new transaction log {}", file);
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            flush();
            channel.close();
            channel = null;
        }
    }

    static void fsyncDir(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // not supported on every file system; the file fsync still happened
        }
    }

    /** Log files ordered by their first zxid. */
    public static List<Path> logFiles(Path versionDir) throws IOException {
        if (!Files.isDirectory(versionDir)) return List.of();
        try (Stream<Path> s = Files.list(versionDir)) {
            return s.filter(p -> p.getFileName().toString().matches("log\\.[0-9a-f]+"))
                    .sorted((a, b) -> Long.compareUnsigned(startZxid(a), startZxid(b))).toList();
        }
    }

    public static long startZxid(Path logFile) {
        return Long.parseUnsignedLong(logFile.getFileName().toString().substring(4), 16);
    }

    /** What recovery found; {@code truncatedBytes} > 0 if a torn or corrupt tail was cut off. */
    public record Recovery(long lastZxid, int records, long truncatedBytes, String truncationReport) {}

    /**
     * Reads every record with zxid > afterZxid, in order, and hands it to the consumer. A damaged last record
     * of the last file is truncated (and logged); damage followed by valid data throws CorruptLogException.
     */
    public static Recovery replay(Path dataLogDir, long afterZxid, Consumer<Txn> consumer) throws IOException {
        Path versionDir = dataLogDir.resolve("version-2");
        List<Path> files = logFiles(versionDir);
        long last = afterZxid;
        int count = 0;
        long truncated = 0;
        String report = null;
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            if (i + 1 < files.size() && startZxid(files.get(i + 1)) <= afterZxid + 1) continue; // fully in snapshot
            boolean lastFile = i == files.size() - 1;
            byte[] bytes = Files.readAllBytes(file);
            ByteBuffer in = ByteBuffer.wrap(bytes);
            if (bytes.length < HEADER || in.getInt() != MAGIC || in.getInt() != VERSION) {
                if (lastFile && isZeroOrShort(bytes)) {
                    report = "transaction log " + file + " has a torn header; removed";
                    log.warn(report);
                    truncated += bytes.length;
                    Files.delete(file);
                    break;
                }
                throw new CorruptLogException("transaction log " + file + " has a bad header");
            }
            while (in.hasRemaining()) {
                int offset = in.position();
                String problem = null;
                Txn txn = null;
                int end = bytes.length;
                if (in.remaining() < RECORD_OVERHEAD) {
                    problem = "record header cut short";
                } else {
                    int len = in.getInt();
                    long crc = in.getLong();
                    if (len <= 0 || len > in.remaining()) {
                        problem = "record length " + len + " runs past the end of the file";
                    } else {
                        byte[] payload = new byte[len];
                        in.get(payload);
                        end = in.position();
                        var c = new CRC32C();
                        c.update(payload);
                        if (c.getValue() != crc) {
                            problem = "checksum mismatch";
                        } else {
                            try {
                                txn = Txn.deserialize(payload);
                            } catch (IllegalArgumentException e) {
                                problem = "undecodable record (" + e.getMessage() + ")";
                            }
                        }
                    }
                }
                if (problem != null) {
                    boolean tail = lastFile && (end >= bytes.length || allZero(bytes, end));
                    if (!tail) {
                        throw new CorruptLogException("transaction log " + file + " is corrupt at offset " + offset
                                + " (" + problem + ") and valid data follows; refusing to start. "
                                + "Move the damaged file away only if losing the transactions after offset " + offset
                                + " is acceptable.");
                    }
                    truncated += bytes.length - offset;
                    report = "transaction log " + file + ": " + problem + " at offset " + offset + "; truncated "
                            + (bytes.length - offset) + " bytes of torn tail after zxid 0x" + Long.toHexString(last);
                    log.warn(report);
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        ch.truncate(offset);
                        ch.force(true);
                    }
                    break;
                }
                if (txn.zxid() > afterZxid) {
                    if (txn.zxid() <= last) {
                        throw new CorruptLogException("transaction log " + file + " at offset " + offset + ": zxid 0x"
                                + Long.toHexString(txn.zxid()) + " does not follow 0x" + Long.toHexString(last));
                    }
                    consumer.accept(txn);
                    last = txn.zxid();
                    count++;
                }
            }
        }
        return new Recovery(last, count, truncated, report);
    }

    private static boolean isZeroOrShort(byte[] b) {
        return b.length < HEADER || allZero(b, 0);
    }

    private static boolean allZero(byte[] b, int from) {
        for (int i = from; i < b.length; i++) if (b[i] != 0) return false;
        return true;
    }

    /** Deletes log files whose transactions are all at or before zxid (covered by a kept snapshot). */
    public static void purgeBefore(Path versionDir, long zxid) throws IOException {
        List<Path> files = logFiles(versionDir);
        for (int i = 0; i + 1 < files.size(); i++) {
            if (startZxid(files.get(i + 1)) <= zxid + 1) Files.deleteIfExists(files.get(i));
        }
    }

    public static List<Path> all(Path versionDir) throws IOException {
        return new ArrayList<>(logFiles(versionDir));
    }
}
