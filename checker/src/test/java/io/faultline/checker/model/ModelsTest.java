package io.faultline.checker.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checker.CheckResult;
import io.faultline.checker.CheckerOptions;
import io.faultline.checker.Checkers;
import io.faultline.checker.Verdict;
import io.faultline.checker.history.HistoryFormat;
import io.faultline.checker.history.HistoryReader;
import io.faultline.checker.linear.LinearizabilityChecker;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Each model on tiny sequential or concurrent histories, valid and invalid. */
class ModelsTest {

    /** Builds a history of completed ops from "p f value result; ..." — each op invoked and completed in turn. */
    static String seq(String ops) {
        StringBuilder sb = new StringBuilder();
        for (String op : ops.split(";")) {
            String[] t = op.trim().split("\\s+", 4);
            String p = t[0], type = t[1], f = t[2], v = t.length > 3 ? t[3] : "nil";
            sb.append("{:process ").append(p).append(", :type :").append(type).append(", :f :").append(f).append(", :value ").append(v).append("}\n");
        }
        return sb.toString();
    }

    static Verdict check(String model, String history, NilReads nil, String fail) {
        CheckerOptions o = CheckerOptions.forModel(model).withNilReads(nil).withExtra("fail", fail);
        CheckResult r = Checkers.byName("linearizable", o).check(HistoryReader.read(history, "t", HistoryFormat.EDN));
        return r.verdict();
    }

    @ParameterizedTest(name = "{0} {3}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            register        | 0 invoke write 3; 0 ok write 3; 1 invoke read; 1 ok read 3                                   | VALID   | wildcard
            register        | 0 invoke write 3; 0 ok write 3; 1 invoke read; 1 ok read 0                                   | INVALID | wildcard
            register        | 1 invoke read; 1 ok read nil                                                                   | VALID   | strict
            register        | 0 invoke write 1; 0 ok write 1; 1 invoke read; 1 ok read nil                                 | VALID   | wildcard
            register        | 0 invoke write 1; 0 ok write 1; 1 invoke read; 1 ok read nil                                 | INVALID | strict
            cas-register    | 0 invoke cas [0 1]; 0 ok cas [0 1]; 1 invoke read; 1 ok read 1                               | VALID   | wildcard
            cas-register    | 0 invoke cas [2 1]; 0 ok cas [2 1]                                                           | INVALID | wildcard
            cas-register    | 0 invoke cas [2 1]; 0 fail cas [2 1]; 1 invoke read; 1 ok read 0                             | VALID   | wildcard
            cas-register    | 0 invoke write 5; 0 info write 5; 1 invoke read; 1 ok read 5; 2 invoke read; 2 ok read 5      | VALID   | wildcard
            cas-register    | 0 invoke write 5; 0 info write 5; 1 invoke read; 1 ok read 5; 2 invoke read; 2 ok read 0      | INVALID | wildcard
            multi-register  | 0 invoke txn [[:write :x 1] [:write :y 2]]; 0 ok txn [[:write :x 1] [:write :y 2]]; 1 invoke txn [[:read :x nil] [:read :y nil]]; 1 ok txn [[:read :x 1] [:read :y 2]] | VALID | wildcard
            multi-register  | 0 invoke txn [[:write :x 1] [:write :y 2]]; 0 ok txn [[:write :x 1] [:write :y 2]]; 1 invoke txn [[:read :x nil] [:read :y nil]]; 1 ok txn [[:read :x 1] [:read :y 0]] | INVALID | wildcard
            mutex           | 0 invoke acquire; 0 ok acquire; 0 invoke release; 0 ok release; 1 invoke acquire; 1 ok acquire | VALID   | wildcard
            mutex           | 0 invoke acquire; 0 ok acquire; 1 invoke acquire; 1 ok acquire                               | INVALID | wildcard
            set             | 0 invoke add 1; 0 ok add 1; 0 invoke add 2; 0 ok add 2; 1 invoke read; 1 ok read #{1 2}       | VALID   | wildcard
            set             | 0 invoke add 1; 0 ok add 1; 1 invoke read; 1 ok read #{}                                     | INVALID | wildcard
            fifo-queue      | 0 invoke enqueue 1; 0 ok enqueue 1; 0 invoke enqueue 2; 0 ok enqueue 2; 1 invoke dequeue; 1 ok dequeue 1 | VALID | wildcard
            fifo-queue      | 0 invoke enqueue 1; 0 ok enqueue 1; 0 invoke enqueue 2; 0 ok enqueue 2; 1 invoke dequeue; 1 ok dequeue 2 | INVALID | wildcard
            fifo-queue      | 1 invoke dequeue; 1 ok dequeue nil                                                             | VALID   | wildcard
            unordered-queue | 0 invoke enqueue 1; 0 ok enqueue 1; 0 invoke enqueue 2; 0 ok enqueue 2; 1 invoke dequeue; 1 ok dequeue 2 | VALID | wildcard
            unordered-queue | 0 invoke enqueue 1; 0 ok enqueue 1; 1 invoke dequeue; 1 ok dequeue 1; 1 invoke dequeue; 1 ok dequeue 1 | INVALID | wildcard
            zk-versioned-register | 0 invoke write 7; 0 ok write 7; 1 invoke read; 1 ok read [7 1]; 1 invoke cas [1 8]; 1 ok cas [1 8]; 1 invoke read; 1 ok read [8 2] | VALID | wildcard
            zk-versioned-register | 0 invoke write 7; 0 ok write 7; 1 invoke cas [0 8]; 1 ok cas [0 8]                | INVALID | wildcard
            zk-versioned-register | 0 invoke write 7; 0 ok write 7; 1 invoke read; 1 ok read [7 0]                     | INVALID | wildcard
            """)
    void modelSemantics(String model, String ops, Verdict expected, String nil) {
        assertEquals(expected, check(model, seq(ops), NilReads.parse(nil), "drop"));
    }

    @Test
    void failedCasIsAnObservationOnlyInObserveMode() {
        // the register holds 0, so a cas 0->1 that reports failure is impossible if failures are observations
        String h = seq("0 invoke cas [0 1]; 0 fail cas [0 1]");
        assertEquals(Verdict.VALID, check("cas-register", h, NilReads.WILDCARD, "drop"));
        assertEquals(Verdict.INVALID, check("cas-register", h, NilReads.WILDCARD, "observe"));
        String zk = seq("0 invoke cas [0 1]; 0 fail cas [0 1]");
        assertEquals(Verdict.INVALID, check("zk-versioned-register", zk, NilReads.WILDCARD, "observe"));
    }

    @Test
    void kvIsPartitionedByKey() {
        String h = """
                {:process 0, :type :invoke, :f :put, :key "a", :value "x"}
                {:process 0, :type :ok, :f :put, :key "a", :value "x"}
                {:process 0, :type :invoke, :f :append, :key "b", :value "y"}
                {:process 0, :type :ok, :f :append, :key "b", :value "y"}
                {:process 1, :type :invoke, :f :get, :key "a", :value nil}
                {:process 1, :type :ok, :f :get, :key "a", :value "x"}
                {:process 1, :type :invoke, :f :get, :key "b", :value nil}
                {:process 1, :type :ok, :f :get, :key "b", :value "y"}
                """;
        CheckResult r = new LinearizabilityChecker(CheckerOptions.forModel("kv")).check(HistoryReader.read(h, "t", HistoryFormat.EDN));
        assertEquals(Verdict.VALID, r.verdict());
        assertEquals(2, r.details().get("partitions"));
        String bad = h.replace(":key \"b\", :value \"y\"}\n{:process 1, :type :invoke", ":key \"b\", :value \"y\"}\n{:process 1, :type :invoke")
                .replace(":ok, :f :get, :key \"b\", :value \"y\"", ":ok, :f :get, :key \"b\", :value \"yy\"");
        assertEquals(Verdict.INVALID, new LinearizabilityChecker(CheckerOptions.forModel("kv")).check(HistoryReader.read(bad, "t", HistoryFormat.EDN)).verdict());
    }

    @Test
    void unknownOpsAndModelsAreErrors() {
        assertThrows(IllegalArgumentException.class, () -> check("register", seq("0 invoke cas [1 2]; 0 ok cas [1 2]"), NilReads.WILDCARD, "drop"));
        assertThrows(IllegalArgumentException.class, () -> check("mutex", seq("0 invoke lock; 0 ok lock"), NilReads.WILDCARD, "drop"));
        assertThrows(IllegalArgumentException.class, () -> Models.create("btree", ModelConfig.knossos()));
        assertTrue(Checkers.names().contains("linearizable"));
        assertTrue(Models.names().containsAll(java.util.List.of("register", "cas-register", "multi-register", "mutex", "set", "fifo-queue",
                "unordered-queue", "kv", "zk-versioned-register")));
    }
}
