package io.faultline.server.persist;

import io.faultline.server.tree.DataTree;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots in {@code <dataDir>/version-2/snapshot.<hex zxid>}: "FLSN", int version, long crc32c, payload
 * ({@link DataTree#serializeSnapshot()}). Written to a temp file, fsynced, then renamed.
 */
public final class SnapshotStore {
    private static final Logger log = LoggerFactory.getLogger(SnapshotStore.class);
    private static final int MAGIC = 0x464C534E; // "FLSN"
    private static final int KEEP = 3;

    private final Path dir;

    public SnapshotStore(Path dataDir) throws IOException {
        this.dir = dataDir.resolve("version-2");
        Files.createDirectories(dir);
    }

    public Path dir() { return dir; }

    public void write(long zxid, byte[] payload) throws IOException {
        var crc = new CRC32C();
        crc.update(payload);
        Path tmp = dir.resolve("snapshot." + Long.toHexString(zxid) + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer header = ByteBuffer.allocate(16).putInt(MAGIC).putInt(1).putLong(crc.getValue()).flip();
            while (header.hasRemaining()) ch.write(header);
            ByteBuffer body = ByteBuffer.wrap(payload);
            while (body.hasRemaining()) ch.write(body);
            ch.force(true);
        }
        Files.move(tmp, dir.resolve("snapshot." + Long.toHexString(zxid)), StandardCopyOption.ATOMIC_MOVE);
        TxnLog.fsyncDir(dir);
        log.info("snapshot at zxid 0x{} ({} bytes)", Long.toHexString(zxid), payload.length);
        purge();
    }

    private void purge() throws IOException {
        List<Path> snaps = snapshots();
        if (snaps.size() <= KEEP) return;
        for (Path p : snaps.subList(0, snaps.size() - KEEP)) Files.deleteIfExists(p);
    }

    /** Zxid of the oldest snapshot kept (logs before it may be deleted), or -1. */
    public long oldestKeptZxid() throws IOException {
        List<Path> snaps = snapshots();
        return snaps.isEmpty() ? -1 : zxidOf(snaps.get(0));
    }

    public List<Path> snapshots() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("snapshot\\.[0-9a-f]+"))
                    .sorted((a, b) -> Long.compareUnsigned(zxidOf(a), zxidOf(b))).toList();
        }
    }

    static long zxidOf(Path p) {
        return Long.parseUnsignedLong(p.getFileName().toString().substring(9), 16);
    }

    /** The newest snapshot that checks out, or a fresh tree. Invalid snapshots are skipped with a warning. */
    public DataTree loadNewest() throws IOException {
        List<Path> snaps = snapshots();
        for (int i = snaps.size() - 1; i >= 0; i--) {
            Path p = snaps.get(i);
            byte[] bytes = Files.readAllBytes(p);
            ByteBuffer in = ByteBuffer.wrap(bytes);
            try {
                if (bytes.length < 16 || in.getInt() != MAGIC || in.getInt() != 1) throw new IOException("bad header");
                long crc = in.getLong();
                byte[] payload = new byte[in.remaining()];
                in.get(payload);
                var c = new CRC32C();
                c.update(payload);
                if (c.getValue() != crc) throw new IOException("checksum mismatch");
                DataTree tree = DataTree.deserializeSnapshot(payload);
                log.info("loaded snapshot {} (zxid 0x{})", p, Long.toHexString(tree.lastProcessedZxid()));
                return tree;
            } catch (IOException | RuntimeException e) {
                log.warn("skipping invalid snapshot {}: {}", p, e.getMessage());
            }
        }
        return new DataTree();
    }
}
