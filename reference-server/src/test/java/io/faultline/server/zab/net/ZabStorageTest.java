package io.faultline.server.zab.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.server.zab.LogEntry;
import io.faultline.server.zab.ZabPeer;
import io.faultline.server.zab.Zxid;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZabStorageTest {

    private static LogEntry entry(long epoch, long counter, String data) {
        return new LogEntry(Zxid.make(epoch, counter), data.getBytes());
    }

    @Test
    void appendsSyncTruncateAndEpochsSurviveReopen(@TempDir Path dir) throws IOException {
        try (ZabStorage s = new ZabStorage(dir)) {
            assertEquals(ZabPeer.DurableState.EMPTY.log(), s.load().log());
            s.append(List.of(entry(1, 1, "a"), entry(1, 2, "b"), entry(1, 3, "c")));
            s.writeAcceptedEpoch(2); // barrier: the appends are synced first
            s.writeCurrentEpoch(2);
            s.truncate(Zxid.make(1, 2));
            s.append(List.of(entry(2, 1, "d")));
            s.sync();
        }
        try (ZabStorage s = new ZabStorage(dir)) {
            ZabPeer.DurableState st = s.load();
            assertEquals(2, st.acceptedEpoch());
            assertEquals(2, st.currentEpoch());
            assertEquals(List.of(entry(1, 1, "a"), entry(1, 2, "b"), entry(2, 1, "d")), st.log());
            s.replace(List.of(entry(3, 1, "x")));
        }
        try (ZabStorage s = new ZabStorage(dir)) {
            assertEquals(List.of(entry(3, 1, "x")), s.load().log());
        }
    }

    @Test
    void aTornOrCorruptTailIsCutAtLoad(@TempDir Path dir) throws IOException {
        try (ZabStorage s = new ZabStorage(dir)) {
            s.load();
            s.append(List.of(entry(1, 1, "a"), entry(1, 2, "bbbb")));
            s.sync();
        }
        Path log = dir.resolve("zab").resolve("history.log");
        long full = Files.size(log);
        // Flip a byte of the last record's payload: its checksum no longer matches.
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {'X'}), full - 1);
        }
        try (ZabStorage s = new ZabStorage(dir)) {
            assertEquals(List.of(entry(1, 1, "a")), s.load().log());
            assertTrue(Files.size(log) < full);
            s.append(List.of(entry(1, 2, "again")));
            s.sync();
        }
        // A half-written record (crash mid-append) is cut too.
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 9, 1, 2}));
        }
        try (ZabStorage s = new ZabStorage(dir)) {
            assertEquals(List.of(entry(1, 1, "a"), entry(1, 2, "again")), s.load().log());
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
