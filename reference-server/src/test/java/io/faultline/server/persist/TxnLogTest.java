package io.faultline.server.persist;

import static org.junit.jupiter.api.Assertions.*;

import io.faultline.server.tree.DataTree;
import io.faultline.server.txn.Txn;
import io.faultline.server.txn.TxnBody;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TxnLogTest {
    @TempDir Path dir;

    static Txn create(long zxid) {
        return new Txn(7, (int) zxid, zxid, 1000 + zxid,
                new TxnBody.CreateTxn("/n" + zxid, new byte[] {1, 2, 3}, DataTree.OPEN_ACL, 0, (int) zxid, 1));
    }

    void write(int n) throws IOException {
        try (var log = new TxnLog(dir)) {
            for (int i = 1; i <= n; i++) log.append(create(i));
            log.flush();
        }
    }

    List<Txn> replay(long after) throws IOException {
        var out = new ArrayList<Txn>();
        TxnLog.replay(dir, after, out::add);
        return out;
    }

    Path onlyLog() throws IOException {
        return TxnLog.logFiles(dir.resolve("version-2")).get(0);
    }

    @Test
    void replaysEverythingAfterTheGivenZxid() throws IOException {
        write(10);
        assertEquals(10, replay(0).size());
        List<Txn> tail = replay(6);
        assertEquals(List.of(7L, 8L, 9L, 10L), tail.stream().map(Txn::zxid).toList());
        assertArrayEquals(create(7).serialize(), tail.get(0).serialize());
    }

    @Test
    void tornTailIsTruncatedAndReported() throws IOException {
        write(10);
        Path log = onlyLog();
        long size = Files.size(log);
        try (var ch = java.nio.channels.FileChannel.open(log, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(size - 5); // the last record loses its end
        }
        var out = new ArrayList<Txn>();
        TxnLog.Recovery r = TxnLog.replay(dir, 0, out::add);
        assertEquals(9, out.size());
        assertTrue(r.truncatedBytes() > 0);
        assertTrue(r.truncationReport().contains("truncated"), r.truncationReport());
        assertEquals(9, replay(0).size(), "the truncation is persistent and clean");
        assertNull(TxnLog.replay(dir, 0, t -> { }).truncationReport());
    }

    @Test
    void corruptChecksumOfLastRecordIsTreatedAsTornTail() throws IOException {
        write(3);
        Path log = onlyLog();
        byte[] bytes = Files.readAllBytes(log);
        bytes[bytes.length - 2] ^= 0x55;
        Files.write(log, bytes);
        assertEquals(2, replay(0).size());
    }

    @Test
    void corruptionInTheMiddleRefusesToStart() throws IOException {
        write(10);
        Path log = onlyLog();
        byte[] bytes = Files.readAllBytes(log);
        bytes[TxnLog.HEADER + 30] ^= 0x55; // inside the first record's payload
        Files.write(log, bytes);
        var e = assertThrows(CorruptLogException.class, () -> replay(0));
        assertTrue(e.getMessage().contains("offset " + TxnLog.HEADER), e.getMessage());
    }

    @Test
    void snapshotRoundTripKeepsTheTree() throws IOException {
        var tree = new DataTree();
        for (int i = 1; i <= 5; i++) tree.apply(create(i));
        tree.apply(new Txn(9, 1, 6, 2000, new TxnBody.CreateSessionTxn(4000, new byte[16])));
        var store = new SnapshotStore(dir);
        store.write(tree.lastProcessedZxid(), tree.serializeSnapshot());
        DataTree loaded = store.loadNewest();
        assertEquals(tree.digest(), loaded.digest());
        assertEquals(6, loaded.lastProcessedZxid());
        assertEquals(1, loaded.sessions().size());
        Path snap = store.snapshots().get(0);
        byte[] bytes = Files.readAllBytes(snap);
        bytes[bytes.length - 1] ^= 1;
        Files.write(snap, bytes);
        assertEquals(0, store.loadNewest().lastProcessedZxid(), "a damaged snapshot is skipped");
    }
}
