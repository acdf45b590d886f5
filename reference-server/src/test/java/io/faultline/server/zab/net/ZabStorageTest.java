package io.faultline.server.zab.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.server.zab.LogEntry;
import io.faultline.server.zab.Zxid;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZabStorageTest {

    private static LogEntry entry(long epoch, long counter, String data) {
        return new LogEntry(Zxid.make(epoch, counter), data.getBytes());
    }

    private static List<String> files(Path dir, String prefix) throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("zab"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).sorted().toList();
        }
    }

    /** The last log segment: the file the manifest names last. */
    private static Path lastSegment(Path dir) throws IOException {
        List<String> segs = files(dir, "log.");
        return dir.resolve("zab").resolve(segs.get(segs.size() - 1));
    }

    @Test
    void appendsSyncTruncateAndEpochsSurviveReopen(@TempDir Path dir) throws IOException {
        try (ZabStorage s = new ZabStorage(dir)) {
            ZabStorage.Loaded empty = s.load();
            assertEquals(List.of(), empty.state().log());
            assertNull(empty.snapshot());
            s.append(List.of(entry(1, 1, "a"), entry(1, 2, "b"), entry(1, 3, "c")));
            s.writeAcceptedEpoch(2); // barrier: the appends are synced first
            s.writeCurrentEpoch(2);
            s.truncate(Zxid.make(1, 2));
            s.append(List.of(entry(2, 1, "d")));
            s.sync();
        }
        try (ZabStorage s = new ZabStorage(dir)) {
            ZabStorage.Loaded st = s.load();
            assertEquals(2, st.state().acceptedEpoch());
            assertEquals(2, st.state().currentEpoch());
            assertEquals(0, st.state().snapshotZxid());
            assertEquals(List.of(entry(1, 1, "a"), entry(1, 2, "b"), entry(2, 1, "d")), st.state().log());
        }
    }

    @Test
    void anInstalledSnapshotReplacesTheWholeHistory(@TempDir Path dir) throws IOException {
        try (ZabStorage s = new ZabStorage(dir)) {
            s.load();
            s.append(List.of(entry(1, 1, "a"), entry(1, 2, "diverged")));
            s.sync();
            s.installSnapshot(Zxid.make(2, 5), "state-at-2-5".getBytes());
            s.append(List.of(entry(2, 6, "x")));
            s.sync();
        }
        try (ZabStorage s = new ZabStorage(dir)) {
            ZabStorage.Loaded st = s.load();
            assertEquals(Zxid.make(2, 5), st.state().snapshotZxid());
            assertArrayEquals("state-at-2-5".getBytes(), st.snapshot());
            assertEquals(List.of(entry(2, 6, "x")), st.state().log(), "the old log is gone, not glued on");
            assertEquals(1, files(dir, "log.").size());
        }
    }

    @Test
    void anAdoptedSnapshotLetsOldSegmentsBeCompactedAndSurvivesRestart(@TempDir Path dir) throws IOException {
        try (ZabStorage s = new ZabStorage(dir)) {
            s.load();
            s.append(List.of(entry(1, 1, "a"), entry(1, 2, "b")));
            s.writeSnapshotFile(Zxid.make(1, 2), "s2".getBytes());
            assertTrue(s.adoptSnapshot(Zxid.make(1, 2)));
            s.append(List.of(entry(1, 3, "c"), entry(1, 4, "d")));
            s.writeSnapshotFile(Zxid.make(1, 4), "s4".getBytes());
            assertTrue(s.adoptSnapshot(Zxid.make(1, 4)));
            assertFalse(s.adoptSnapshot(Zxid.make(1, 3)), "an older snapshot is never adopted");
            s.append(List.of(entry(1, 5, "e")));
            assertEquals(3, files(dir, "log.").size());
            s.compact(Zxid.make(1, 2)); // the segment holding 1..2 goes; 3..4 stays for DIFFs
            assertEquals(2, files(dir, "log.").size());
            s.sync();
        }
        try (ZabStorage s = new ZabStorage(dir)) {
            ZabStorage.Loaded st = s.load();
            assertEquals(Zxid.make(1, 4), st.state().snapshotZxid());
            assertArrayEquals("s4".getBytes(), st.snapshot());
            assertEquals(List.of(entry(1, 5, "e")), st.state().log());
            assertThrows(IllegalStateException.class, () -> s.truncate(Zxid.make(1, 3)),
                    "committed (snapshotted) history is never truncated");
            s.truncate(Zxid.make(1, 4));
            s.append(List.of(entry(2, 1, "f")));
            s.sync();
        }
        try (ZabStorage s = new ZabStorage(dir)) {
            assertEquals(List.of(entry(2, 1, "f")), s.load().state().log());
        }
    }

    @Test
    void truncateAcrossSegmentsDropsWholeLaterSegments(@TempDir Path dir) throws IOException {
        try (ZabStorage s = new ZabStorage(dir)) {
            s.load();
            s.append(List.of(entry(1, 1, "a"), entry(1, 2, "b")));
            s.writeSnapshotFile(Zxid.make(1, 1), "s1".getBytes());
            s.adoptSnapshot(Zxid.make(1, 1));
            s.append(List.of(entry(1, 3, "c")));
            s.writeSnapshotFile(Zxid.make(1, 2), "s2".getBytes());
            s.adoptSnapshot(Zxid.make(1, 2));
            s.append(List.of(entry(1, 4, "d")));
            s.truncate(Zxid.make(1, 2));
            s.append(List.of(entry(2, 1, "e")));
            s.sync();
        }
        try (ZabStorage s = new ZabStorage(dir)) {
            assertEquals(List.of(entry(2, 1, "e")), s.load().state().log());
        }
    }

    @Test
    void aTornOrCorruptTailIsCutAtLoad(@TempDir Path dir) throws IOException {
        try (ZabStorage s = new ZabStorage(dir)) {
            s.load();
            s.append(List.of(entry(1, 1, "a"), entry(1, 2, "bbbb")));
            s.sync();
        }
        Path log = lastSegment(dir);
        long full = Files.size(log);
        // Flip a byte of the last record's payload: its checksum no longer matches.
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {'X'}), full - 1);
        }
        try (ZabStorage s = new ZabStorage(dir)) {
            assertEquals(List.of(entry(1, 1, "a")), s.load().state().log());
            assertTrue(Files.size(log) < full);
            s.append(List.of(entry(1, 2, "again")));
            s.sync();
        }
        // A half-written record (crash mid-append) is cut too.
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 9, 1, 2}));
        }
        try (ZabStorage s = new ZabStorage(dir)) {
            assertEquals(List.of(entry(1, 1, "a"), entry(1, 2, "again")), s.load().state().log());
        }
    }

    @Test
    void damageBeforeTheTailAndABadSnapshotAreClearErrors(@TempDir Path dir) throws IOException {
        try (ZabStorage s = new ZabStorage(dir)) {
            s.load();
            s.append(List.of(entry(1, 1, "aaaa")));
            s.writeSnapshotFile(Zxid.make(1, 1), "snap".getBytes());
            s.adoptSnapshot(Zxid.make(1, 1)); // rolls: the first segment is now complete
            s.append(List.of(entry(1, 2, "b")));
            s.sync();
        }
        Path first = dir.resolve("zab").resolve(files(dir, "log.").get(0));
        try (FileChannel ch = FileChannel.open(first, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {'X'}), Files.size(first) - 1);
        }
        try (ZabStorage s = new ZabStorage(dir)) {
            IOException e = assertThrows(IOException.class, s::load);
            assertTrue(e.getMessage().contains("corrupt") && e.getMessage().contains("resync"), e.getMessage());
        }
        Files.writeString(dir.resolve("zab").resolve("snapshot." + Long.toHexString(Zxid.make(1, 1))), "garbage");
        try (ZabStorage s = new ZabStorage(dir)) {
            IOException e = assertThrows(IOException.class, s::load);
            assertTrue(e.getMessage().contains("snapshot"), e.getMessage());
        }
    }

    @Test
    void aGarbledEpochFileIsAClearError(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("currentEpoch"), "twelve");
        try (ZabStorage s = new ZabStorage(dir)) {
            IOException e = assertThrows(IOException.class, s::load);
            assertTrue(e.getMessage().contains("currentEpoch"), e.getMessage());
        }
    }
}
