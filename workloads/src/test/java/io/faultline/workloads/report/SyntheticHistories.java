package io.faultline.workloads.report;

import io.faultline.checker.history.Op;
import io.faultline.checker.history.OpType;
import io.faultline.workloads.history.HistoryRecorder;
import io.faultline.workloads.history.HistorySink;
import java.util.List;
import java.util.Map;

/** Small recorded histories with known verdicts, for report and gate tests. */
public final class SyntheticHistories {
    private SyntheticHistories() {}

    /** A register history with a stale sync read (linearizability violation) during a partition. */
    public static List<Op> staleSyncReads() throws Exception {
        try (HistoryRecorder h = new HistoryRecorder(HistorySink.NONE)) {
            for (int round = 0; round < 40; round++) {
                long v = round + 1;
                h.record(OpType.INVOKE, 0, "write", v, 1L, "n1", 0x11L, null, Map.of());
                Thread.sleep(2);
                h.record(OpType.OK, 0, "write", v, 1L, "n1", 0x11L, 100L + round, Map.of("mzxid", 100L + round, "version", round));
                if (round == 10) h.recordNemesis(OpType.INFO, "start-partition", List.of(List.of("n1"), List.of("n2", "n3")));
                if (round == 30) h.recordNemesis(OpType.INFO, "stop-partition", "healed");
                h.record(OpType.INVOKE, 1, "read", null, 1L, "n2", 0x22L, null, Map.of("read-mode", "sync"));
                Thread.sleep(1);
                // from round 20 on, node n2 serves a stale value although the read was synced
                long seen = round >= 20 && round < 25 ? 5 : v;
                h.record(OpType.OK, 1, "read", seen, 1L, "n2", 0x22L, 100L + round, Map.of("read-mode", "sync", "mzxid", 100L + seen - 1));
            }
            return h.snapshot();
        }
    }

}
