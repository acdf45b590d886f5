package io.faultline.server.zab.net;

import io.faultline.server.zab.LogEntry;
import io.faultline.server.zab.ZabPeer;
import io.faultline.server.zab.Zxid;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable ZAB state in dataDir: {@code acceptedEpoch} and {@code currentEpoch} (decimal, as ZooKeeper keeps them),
 * and in {@code zab/}: log segments {@code log.<n>} (records {@code int len, int crc32c, long zxid, data}), snapshots
 * {@code snapshot.<hex zxid>} of the application's state ("FZSN", crc32c, payload), and a {@code MANIFEST} naming the
 * snapshot and the segments that make up the durable history. The manifest is replaced atomically (write, fsync,
 * rename), so a SNAP install or a compaction is all-or-nothing across a crash: the history is always the manifest's
 * snapshot followed by its segments, never an old log glued onto a new snapshot.
 *
 * <p>Appends are buffered until {@link #sync()}; every other write is durable when the method returns. A torn or
 * corrupt tail of the last segment (a crash mid-append) is cut off at load; damage anywhere else is an error.
 * Not thread-safe, except {@link #writeSnapshotFile}, which any thread may call.
 */
public final class ZabStorage implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ZabStorage.class);
    private static final int HEADER = 16;
    private static final int SNAP_MAGIC = 0x465A534E; // "FZSN"
    private static final String MANIFEST_HEADER = "faultline-zab-manifest 1";
    /** Snapshot files kept besides the manifest's (older ones are deleted when a new one is adopted). */
    private static final int KEEP_OLD_SNAPSHOTS = 1;

    /** What survived: the core's durable state and the snapshot payload it starts from (null: empty state). */
    public record Loaded(ZabPeer.DurableState state, byte[] snapshot) {}

    private static final class Segment {
        final String name;
        final List<Long> zxids = new ArrayList<>();
        final List<Long> offsets = new ArrayList<>();
        long size;

        Segment(String name) {
            this.name = name;
        }

        long lastZxid() {
            return zxids.isEmpty() ? 0 : zxids.get(zxids.size() - 1);
        }
    }

    private final Path dataDir;
    private final Path dir;
    private final List<Segment> segments = new ArrayList<>();
    private long snapshotZxid; // 0: no snapshot
    private FileChannel channel; // the last segment, open for appends
    private boolean dirty;
    private long nextSegment = 1;
    private final AtomicLong tmpCounter = new AtomicLong();

    public ZabStorage(Path dataDir) throws IOException {
        this.dataDir = dataDir;
        this.dir = dataDir.resolve("zab");
        Files.createDirectories(dir);
    }

    /** Reads everything that survived; cuts a torn tail. */
    public Loaded load() throws IOException {
        long accepted = readEpoch("acceptedEpoch");
        long current = readEpoch("currentEpoch");
        closeChannel();
        segments.clear();
        snapshotZxid = 0;
        List<String> names = new ArrayList<>();
        Path manifest = dir.resolve("MANIFEST");
        if (Files.exists(manifest)) {
            List<String> lines = Files.readAllLines(manifest, StandardCharsets.US_ASCII);
            if (lines.isEmpty() || !lines.get(0).equals(MANIFEST_HEADER)) {
                throw new IOException(manifest + " is not a faultline ZAB manifest");
            }
            for (String line : lines.subList(1, lines.size())) {
                if (line.startsWith("snapshot ")) {
                    snapshotZxid = Long.parseUnsignedLong(line.substring(9), 16);
                } else if (line.startsWith("segment ")) {
                    names.add(line.substring(8));
                } else if (!line.isBlank()) {
                    throw new IOException(manifest + ": unexpected line '" + line + "'");
                }
            }
        }
        byte[] snapshot = snapshotZxid == 0 ? null : readSnapshot(snapshotZxid);
        List<LogEntry> entries = new ArrayList<>();
        long prev = 0;
        for (int i = 0; i < names.size(); i++) {
            Segment seg = new Segment(names.get(i));
            prev = readSegment(seg, i == names.size() - 1, prev, entries);
            segments.add(seg);
            nextSegment = Math.max(nextSegment, segmentNumber(seg.name) + 1);
        }
        if (segments.isEmpty()) {
            newSegment();
            writeManifest();
        } else {
            Segment last = segments.get(segments.size() - 1);
            channel = FileChannel.open(dir.resolve(last.name), StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
        deleteUnlisted();
        List<LogEntry> afterSnapshot = entries.stream().filter(e -> e.zxid() > snapshotZxid).toList();
        return new Loaded(new ZabPeer.DurableState(Math.max(accepted, current), current, snapshotZxid, afterSnapshot),
                snapshot);
    }

    /** Reads one segment's records into entries; returns the last zxid. Only the last segment may have a torn tail. */
    private long readSegment(Segment seg, boolean last, long prev, List<LogEntry> entries) throws IOException {
        Path file = dir.resolve(seg.name);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long pos = 0;
            long fileSize = ch.size();
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            while (pos + HEADER <= fileSize) {
                header.clear();
                ch.read(header, pos);
                header.flip();
                int len = header.getInt();
                int crc = header.getInt();
                long zxid = header.getLong();
                if (len < 0 || pos + HEADER + len > fileSize || zxid <= prev) {
                    break;
                }
                ByteBuffer data = ByteBuffer.allocate(len);
                ch.read(data, pos + HEADER);
                byte[] bytes = data.array();
                if (crc(zxid, bytes) != crc) {
                    break;
                }
                entries.add(new LogEntry(zxid, bytes));
                seg.zxids.add(zxid);
                seg.offsets.add(pos);
                prev = zxid;
                pos += HEADER + len;
            }
            if (pos < fileSize) {
                if (!last) {
                    throw new IOException("ZAB log segment " + file + " is corrupt at offset " + pos
                            + " (not its tail: a complete segment was damaged); remove " + dataDir
                            + " to resync this server from the leader");
                }
                log.warn("ZAB log {}: cutting {} bytes of torn or corrupt tail at offset {}", file, fileSize - pos, pos);
                ch.truncate(pos);
                ch.force(true);
            }
            seg.size = pos;
        }
        return prev;
    }

    public void append(List<LogEntry> entries) throws IOException {
        Segment seg = segments.get(segments.size() - 1);
        for (LogEntry e : entries) {
            ByteBuffer b = record(e);
            seg.zxids.add(e.zxid());
            seg.offsets.add(seg.size);
            while (b.hasRemaining()) {
                seg.size += channel.write(b, seg.size);
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

    /** Drop every record with zxid &gt; zxid; durable on return. Never below the snapshot (it is committed). */
    public void truncate(long zxid) throws IOException {
        if (zxid < snapshotZxid) {
            throw new IllegalStateException("truncate to " + Zxid.hex(zxid) + " below the snapshot at "
                    + Zxid.hex(snapshotZxid));
        }
        sync();
        int s = segments.size() - 1;
        while (s > 0 && (segments.get(s).zxids.isEmpty() || segments.get(s).zxids.get(0) > zxid)) {
            s--;
        }
        // Segments after s hold only records > zxid: drop them from the manifest first, then their files.
        List<Segment> dropped = new ArrayList<>(segments.subList(s + 1, segments.size()));
        if (!dropped.isEmpty()) {
            closeChannel();
            segments.subList(s + 1, segments.size()).clear();
            writeManifest();
            for (Segment d : dropped) {
                Files.deleteIfExists(dir.resolve(d.name));
            }
            channel = FileChannel.open(dir.resolve(segments.get(s).name), StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        }
        Segment seg = segments.get(s);
        int keep = 0;
        while (keep < seg.zxids.size() && seg.zxids.get(keep) <= zxid) {
            keep++;
        }
        if (keep == seg.zxids.size()) {
            return;
        }
        long cut = seg.offsets.get(keep);
        seg.zxids.subList(keep, seg.zxids.size()).clear();
        seg.offsets.subList(keep, seg.offsets.size()).clear();
        channel.truncate(cut);
        channel.force(true);
        seg.size = cut;
    }

    /**
     * SNAP from the leader: state (after every transaction up to zxid) becomes the snapshot and the log starts empty
     * after it, atomically (one manifest switch); durable on return.
     */
    public void installSnapshot(long zxid, byte[] state) throws IOException {
        sync();
        writeSnapshotFile(zxid, state);
        List<Segment> old = List.copyOf(segments);
        closeChannel();
        segments.clear();
        snapshotZxid = zxid;
        newSegment();
        writeManifest();
        for (Segment s : old) {
            Files.deleteIfExists(dir.resolve(s.name));
        }
        deleteOldSnapshots();
        log.info("installed the leader's snapshot at zxid 0x{} ({} bytes)", Long.toHexString(zxid), state.length);
    }

    /**
     * Writes snapshot.&lt;zxid&gt; durably (temp file, fsync, rename). It becomes part of the history only once
     * {@link #adoptSnapshot} names it in the manifest. Thread-safe: touches no other state.
     */
    public void writeSnapshotFile(long zxid, byte[] state) throws IOException {
        CRC32C c = new CRC32C();
        c.update(state);
        Path tmp = dir.resolve("snapshot." + Long.toHexString(zxid) + ".tmp" + tmpCounter.incrementAndGet());
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer header = ByteBuffer.allocate(16).putInt(SNAP_MAGIC).putInt(state.length).putLong(c.getValue())
                    .flip();
            while (header.hasRemaining()) {
                out.write(header);
            }
            ByteBuffer body = ByteBuffer.wrap(state);
            while (body.hasRemaining()) {
                out.write(body);
            }
            out.force(true);
        }
        Files.move(tmp, snapshotFile(zxid), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        fsyncDir(dir);
    }

    /**
     * A snapshot written by {@link #writeSnapshotFile} (of committed state) becomes the recovery point: the manifest
     * names it, and appends go to a fresh segment so that older segments can later be deleted whole. False (and the
     * file is deleted) if the manifest already has a snapshot at least as new.
     */
    public boolean adoptSnapshot(long zxid) throws IOException {
        if (zxid <= snapshotZxid || !Files.exists(snapshotFile(zxid))) {
            if (zxid < snapshotZxid) {
                Files.deleteIfExists(snapshotFile(zxid));
            }
            return false;
        }
        sync();
        closeChannel();
        snapshotZxid = zxid;
        newSegment();
        writeManifest();
        deleteOldSnapshots();
        log.info("snapshot at zxid 0x{} adopted ({} log segments)", Long.toHexString(zxid), segments.size());
        return true;
    }

    /** Deletes whole log segments whose records are all at most zxid (and covered by the snapshot). */
    public void compact(long zxid) throws IOException {
        long upTo = Math.min(zxid, snapshotZxid);
        List<Segment> dropped = new ArrayList<>();
        while (segments.size() > 1 && !segments.get(0).zxids.isEmpty() && segments.get(0).lastZxid() <= upTo) {
            dropped.add(segments.remove(0));
        }
        while (segments.size() > 1 && segments.get(0).zxids.isEmpty()) {
            dropped.add(segments.remove(0));
        }
        if (dropped.isEmpty()) {
            return;
        }
        writeManifest();
        for (Segment s : dropped) {
            Files.deleteIfExists(dir.resolve(s.name));
        }
    }

    /** The zxid of the snapshot the manifest names (0: none). */
    public long snapshotZxid() {
        return snapshotZxid;
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

    // ---------------------------------------------------------------- files

    private void newSegment() throws IOException {
        String name = String.format("log.%06d", nextSegment++);
        Path file = dir.resolve(name);
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        channel.force(true);
        fsyncDir(dir);
        segments.add(new Segment(name));
    }

    private void writeManifest() throws IOException {
        StringBuilder sb = new StringBuilder(MANIFEST_HEADER).append('\n');
        if (snapshotZxid != 0) {
            sb.append("snapshot ").append(Long.toHexString(snapshotZxid)).append('\n');
        }
        for (Segment s : segments) {
            sb.append("segment ").append(s.name).append('\n');
        }
        Path tmp = dir.resolve("MANIFEST.tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            out.write(ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.US_ASCII)));
            out.force(true);
        }
        Files.move(tmp, dir.resolve("MANIFEST"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        fsyncDir(dir);
    }

    private byte[] readSnapshot(long zxid) throws IOException {
        Path file = snapshotFile(zxid);
        String fix = "; remove " + dataDir + " to resync this server from the leader";
        if (!Files.exists(file)) {
            throw new IOException("ZAB snapshot " + file + " named by the manifest is missing" + fix);
        }
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (bytes.length < 16 || in.getInt() != SNAP_MAGIC) {
            throw new IOException("ZAB snapshot " + file + " has a bad header" + fix);
        }
        int len = in.getInt();
        long crc = in.getLong();
        if (len != bytes.length - 16) {
            throw new IOException("ZAB snapshot " + file + " is truncated (" + (bytes.length - 16) + " of " + len
                    + " bytes)" + fix);
        }
        byte[] payload = new byte[len];
        in.get(payload);
        CRC32C c = new CRC32C();
        c.update(payload);
        if (c.getValue() != crc) {
            throw new IOException("ZAB snapshot " + file + " fails its checksum" + fix);
        }
        return payload;
    }

    private Path snapshotFile(long zxid) {
        return dir.resolve("snapshot." + Long.toHexString(zxid));
    }

    /** Keeps the manifest's snapshot and the newest older ones (for forensics only; recovery never reads them). */
    private void deleteOldSnapshots() throws IOException {
        List<Long> old = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.matches("snapshot\\.[0-9a-f]+"))
                    .map(n -> Long.parseUnsignedLong(n.substring(9), 16)).filter(z -> z < snapshotZxid)
                    .sorted().forEach(old::add);
        }
        for (int i = 0; i < old.size() - KEEP_OLD_SNAPSHOTS; i++) {
            Files.deleteIfExists(snapshotFile(old.get(i)));
        }
    }

    /** Leftovers of an interrupted install, adopt or compaction: files the manifest does not name. */
    private void deleteUnlisted() throws IOException {
        List<String> listed = segments.stream().map(s -> s.name).toList();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String n = p.getFileName().toString();
                boolean strayLog = n.matches("log\\.\\d+") && !listed.contains(n);
                if (strayLog || n.contains(".tmp")) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static long segmentNumber(String name) {
        try {
            return Long.parseLong(name.substring(name.indexOf('.') + 1));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return 0;
        }
    }

    private static ByteBuffer record(LogEntry e) {
        ByteBuffer b = ByteBuffer.allocate(HEADER + e.data().length);
        b.putInt(e.data().length).putInt(crc(e.zxid(), e.data())).putLong(e.zxid()).put(e.data()).flip();
        return b;
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

    private void closeChannel() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    @Override
    public void close() throws IOException {
        closeChannel();
    }
}
