package io.faultline.checker.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.checker.testutil.Shared;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryReaderTest {

    @Test
    void readsEdnValuesAsPlainJavaData() {
        String edn = """
                ; a comment
                [{:process 0, :type :invoke, :f :cas, :value [1 2], :time 5}
                 {:process 0 :type :ok :f :cas :value (1 2) :error :none, :extra {:a #{1 2} :b "s\\"q"}}
                 #jepsen.history.Op{:process :nemesis, :type :info, :f :start, :value nil, :when #inst "2020-01-01"}
                 {:process 1, :type :invoke, :f :read, :value nil, :big 123456789012345678901234, :ratio 1/2, :d 1.5, :flag true}
                 #_ {:ignored true}
                ]
                """;
        List<Op> ops = HistoryReader.read(edn, "t.edn", HistoryFormat.EDN);
        assertEquals(4, ops.size());
        Op cas = ops.get(0);
        assertEquals(0, cas.index());
        assertEquals(5, cas.time());
        assertEquals("cas", cas.f());
        assertEquals(List.of(1L, 2L), cas.value());
        assertEquals(List.of(1L, 2L), ops.get(1).value());
        assertEquals("none", ops.get(1).get("error"));
        assertEquals(Map.of("a", Set.of(1L, 2L), "b", "s\"q"), ops.get(1).get("extra"));
        assertTrue(ops.get(2).isNemesis());
        assertEquals("2020-01-01", ops.get(2).get("when"));
        assertEquals(0.5, ops.get(3).get("ratio"));
        assertEquals(Boolean.TRUE, ops.get(3).get("flag"));
        assertEquals(-1, ops.get(3).time());
    }

    @Test
    void readsOneMapPerLineAndLists() {
        String edn = "{:process 0, :type :invoke, :f :get, :key \"k\", :value nil}\n{:process 0, :type :ok, :f :get, :key \"k\", :value \"x\"}\n";
        List<Op> ops = HistoryReader.read(edn, "t.txt", HistoryFormat.EDN);
        assertEquals("k", ops.get(1).key());
        assertEquals("x", ops.get(1).value());
        assertEquals(2, HistoryReader.read("(" + edn + ")", "t", HistoryFormat.EDN).size());
    }

    @Test
    void readsJsonLines() {
        String jsonl = """
                {"index":0,"time":0,"type":"invoke","process":0,"f":"cas","value":[1,2],"key":"a","session":7}

                {"index":1,"time":10,"type":"ok","process":0,"f":"cas","value":[1,2],"key":"a","error":null,"zxid":12}
                {"type":"info","process":"nemesis","f":"kill","value":{"n1":1.5}}
                """;
        List<Op> ops = HistoryReader.read(jsonl, "t.jsonl", HistoryFormat.JSONL);
        assertEquals(3, ops.size());
        assertEquals(List.of(1L, 2L), ops.get(0).value());
        assertEquals("a", ops.get(0).key());
        assertEquals(7L, ops.get(0).session());
        assertEquals(12L, ops.get(1).zxid());
        assertTrue(ops.get(2).isNemesis());
        assertEquals(Map.of("n1", 1.5), ops.get(2).value());
    }

    @Test
    void writersRoundTrip(@TempDir Path dir) throws IOException {
        List<Op> ops = List.of(
                new Op(0, 1, OpType.INVOKE, 3, "cas", List.of(1L, 2L), "k", "n1", 9L, null, Map.of("x", List.of("a", 1L))),
                new Op(1, 2, OpType.OK, 3, "cas", List.of(1L, 2L), "k", "n1", 9L, 44L, Map.of("s", Set.of(1L))),
                new Op(2, 3, OpType.INFO, Op.NEMESIS, "start", null, null, null, null, null, Map.of()),
                new Op(3, 4, OpType.INVOKE, 4, "write", "he said \"hi\"\n", null, null, null, null, Map.of()));
        for (HistoryFormat f : HistoryFormat.values()) {
            Path file = dir.resolve("h." + f.name().toLowerCase());
            HistoryWriter.write(ops, file, f);
            List<Op> back = HistoryReader.read(file);
            if (f == HistoryFormat.JSONL) {
                // JSON has no sets
                assertEquals(ops.subList(2, 4), back.subList(2, 4));
                assertEquals(ops.get(0), back.get(0));
            } else {
                assertEquals(ops, back, f.name());
            }
        }
    }

    @Test
    void detectsFormatFromContent(@TempDir Path dir) throws IOException {
        Path a = Files.writeString(dir.resolve("a.txt"), "  {\"type\":\"invoke\",\"process\":0,\"f\":\"read\"}\n");
        Path b = Files.writeString(dir.resolve("b.log"), "; hi\n{:type :invoke :process 0 :f :read}\n");
        Path c = Files.writeString(dir.resolve("c"), "[{:type :invoke :process 0 :f :read}]");
        assertEquals(HistoryFormat.JSONL, HistoryFormat.detect(a));
        assertEquals(HistoryFormat.EDN, HistoryFormat.detect(b));
        assertEquals(HistoryFormat.EDN, HistoryFormat.detect(c));
        assertEquals(1, HistoryReader.read(a).size());
        assertEquals(1, HistoryReader.read(b).size());
    }

    // ------------------------------------------------------------ one test per reader error

    private static HistoryFormatException fails(String text, HistoryFormat f) {
        return assertThrows(HistoryFormatException.class, () -> HistoryReader.read(text, "bad.in", f));
    }

    @Test
    void badJsonNamesTheLine() {
        var e = fails("{\"type\":\"invoke\",\"process\":0,\"f\":\"read\"}\n{\"type\":\"ok\",\"process\":0,", HistoryFormat.JSONL);
        assertEquals(2, e.line());
        assertTrue(e.getMessage().startsWith("bad.in:2: bad JSON"), e.getMessage());
    }

    @Test
    void twoJsonValuesOnOneLine() {
        assertEquals(1, fails("{\"type\":\"invoke\",\"process\":0,\"f\":\"read\"} 5", HistoryFormat.JSONL).line());
    }

    @Test
    void jsonLineThatIsNotAnObject() {
        var e = fails("[1,2]", HistoryFormat.JSONL);
        assertTrue(e.getMessage().contains("expected an op map"), e.getMessage());
    }

    @Test
    void unterminatedEdnVector() {
        var e = fails("[{:type :invoke, :process 0, :f :read}\n{:type :ok, :process 0, :f :read, :value 1}\n", HistoryFormat.EDN);
        assertTrue(e.getMessage().contains("missing ']'"), e.getMessage());
        assertEquals(3, e.line());
    }

    @Test
    void mismatchedEdnBracket() {
        var e = fails("[{:type :invoke, :process 0, :f :read]\n", HistoryFormat.EDN);
        assertTrue(e.getMessage().contains("expected '}'"), e.getMessage());
    }

    @Test
    void unterminatedEdnString() {
        var e = fails("{:type :invoke, :process 0, :f :write, :value \"abc\n\n", HistoryFormat.EDN);
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("unterminated string"));
    }

    @Test
    void ednMapWithMissingValue() {
        assertTrue(fails("{:type :invoke, :process}", HistoryFormat.EDN).getMessage().contains("no value"));
    }

    @Test
    void badEdnNumber() {
        assertTrue(fails("{:type :invoke, :process 0, :f :read, :value 12abc}", HistoryFormat.EDN).getMessage().contains("bad number"));
    }

    @Test
    void unknownType() {
        var e = fails("{:type :invoke, :process 0, :f :read}\n{:type :done, :process 0, :f :read}", HistoryFormat.EDN);
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("unknown op type 'done'"), e.getMessage());
    }

    @Test
    void missingType() {
        assertTrue(fails("{\"process\":0,\"f\":\"read\"}", HistoryFormat.JSONL).getMessage().contains("no type"));
    }

    @Test
    void missingF() {
        assertTrue(fails("{\"type\":\"invoke\",\"process\":0}", HistoryFormat.JSONL).getMessage().contains("no f"));
    }

    @Test
    void badProcess() {
        assertTrue(fails("{\"type\":\"invoke\",\"process\":\"p1\",\"f\":\"read\"}", HistoryFormat.JSONL).getMessage().contains("process must be"));
    }

    @Test
    void badTime() {
        assertTrue(fails("{\"type\":\"invoke\",\"process\":1,\"f\":\"read\",\"time\":\"x\"}", HistoryFormat.JSONL).getMessage().contains("time must be"));
    }

    @Test
    void completionWithoutInvocation() {
        var e = fails("{:type :invoke, :process 0, :f :read}\n{:type :ok, :process 0, :f :read}\n{:type :ok, :process 0, :f :read}", HistoryFormat.EDN);
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("no open invocation"), e.getMessage());
    }

    @Test
    void twoOpenInvocationsOnOneProcess() {
        var e = fails("{\"type\":\"invoke\",\"process\":4,\"f\":\"read\"}\n{\"type\":\"invoke\",\"process\":4,\"f\":\"read\"}", HistoryFormat.JSONL);
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("line 1 is still open"), e.getMessage());
    }

    @Test
    void infoWithoutInvocationIsANote() {
        assertEquals(1, HistoryReader.read("{:type :info, :process 3, :f :crash}", "x", HistoryFormat.EDN).size());
    }

    @Test
    void readsEveryCorpusHistory() throws IOException {
        Path root = Shared.histories();
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".edn") || p.getFileName().toString().matches("c\\d+-(ok|bad)\\.txt"))
                    .toList();
        }
        assertTrue(files.size() >= 120, "found " + files.size());
        for (Path p : files) assertTrue(HistoryReader.read(p).size() > 0, p.toString());
    }
}
