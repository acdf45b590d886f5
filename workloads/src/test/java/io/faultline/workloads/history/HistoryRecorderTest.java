package io.faultline.workloads.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checker.history.Op;
import io.faultline.checker.history.OpType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryRecorderTest {
    @TempDir
    Path dir;

    @Test
    void opsReachTheFileWhileTheRunIsStillGoing() throws Exception {
        Path file = dir.resolve("history.jsonl");
        HistoryRecorder rec = new HistoryRecorder(new JsonlHistorySink(file));
        for (int i = 0; i < 500; i++) {
            rec.record(OpType.INVOKE, i % 5, "write", (long) i, 3L, null, 0x100L + i % 5, null, Map.of());
            rec.record(OpType.OK, i % 5, "write", (long) i, 3L, "n1", 0x100L + i % 5, 42L + i, Map.of("mzxid", 42L + i, "version", i));
        }
        rec.recordNemesis(OpType.INFO, "start-partition", List.of(List.of("n1"), List.of("n2", "n3")));
        Thread.sleep(3 * HistoryRecorder.FLUSH_INTERVAL_MS);
        // not closed (as after a crash), yet everything is on disk
        HistoryFiles.Loaded loaded = HistoryFiles.read(file);
        assertEquals(1001, loaded.ops().size());
        assertFalse(loaded.truncatedTail());
        Op ok = loaded.ops().get(1);
        assertEquals(OpType.OK, ok.type());
        assertEquals(0L, ok.value());
        assertEquals(3L, ok.key());
        assertEquals("n1", ok.node());
        assertEquals(0x100L, ok.session());
        assertEquals(42L, ok.zxid());
        assertEquals(42L, ok.get("mzxid"));
        assertTrue(loaded.ops().getLast().isNemesis());
        rec.close();
    }

    @Test
    void aTornLastLineIsDroppedButOtherGarbageIsAnError() throws IOException {
        Path file = dir.resolve("history.jsonl");
        try (HistoryRecorder rec = new HistoryRecorder(new JsonlHistorySink(file))) {
            rec.record(OpType.INVOKE, 0, "read", null, 1L, null, null, null, Map.of());
            rec.record(OpType.OK, 0, "read", 7L, 1L, "n2", 5L, 9L, Map.of("read-mode", "sync"));
        }
        Files.writeString(file, "{\"index\":2,\"time\":12,\"ty", StandardOpenOption.APPEND);
        HistoryFiles.Loaded loaded = HistoryFiles.read(file);
        assertEquals(2, loaded.ops().size());
        assertTrue(loaded.truncatedTail());
        assertEquals("sync", loaded.ops().get(1).get("read-mode"));

        Files.writeString(file, "\nnot json at all\n", StandardOpenOption.APPEND);
        IOException e = assertThrows(IOException.class, () -> HistoryFiles.read(file));
        assertTrue(e.getMessage().contains("history.jsonl:3"), e.getMessage());
    }

    @Test
    void indicesAreDenseAndTimesMonotonicUnderConcurrency() throws Exception {
        try (HistoryRecorder rec = new HistoryRecorder(HistorySink.NONE)) {
            Thread[] ts = new Thread[8];
            for (int t = 0; t < ts.length; t++) {
                int p = t;
                ts[t] = Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < 2000; i++) {
                        rec.record(OpType.INVOKE, p, "noop", null, null, null, null, null, Map.of());
                        rec.record(OpType.OK, p, "noop", null, null, null, null, null, Map.of());
                    }
                });
            }
            for (Thread t : ts) t.join();
            List<Op> ops = rec.snapshot();
            assertEquals(32_000, ops.size());
            for (int i = 0; i < ops.size(); i++) {
                assertEquals(i, ops.get(i).index());
                if (i > 0) assertTrue(ops.get(i).time() >= ops.get(i - 1).time());
            }
            assertEquals(16_000, rec.count(OpType.OK));
        }
    }
}
