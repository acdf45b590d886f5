package io.faultline.workloads.history;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.checker.history.Op;
import io.faultline.checker.history.OpType;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a stored history.jsonl back, tolerating what a crash leaves: a last line cut short is
 * dropped (with a count), anything else malformed is an error naming the line.
 */
public final class HistoryFiles {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);
    private static final Set<String> FIELDS = Set.of("index", "time", "type", "process", "f", "value", "key", "node", "session", "zxid");

    /** What was read, and whether a torn last line was dropped. */
    public record Loaded(List<Op> ops, boolean truncatedTail) {}

    private HistoryFiles() {}

    @SuppressWarnings("unchecked")
    public static Loaded read(Path file) throws IOException {
        List<Op> ops = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null; ) lines.add(line);
        }
        boolean endsWithNewline = Files.size(file) == 0 || endsWithNewline(file);
        boolean truncated = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) continue;
            Map<String, Object> m;
            try {
                m = JSON.readValue(line, Map.class);
            } catch (IOException e) {
                if (i == lines.size() - 1 && !endsWithNewline) {
                    truncated = true; // the writer died mid-line
                    break;
                }
                throw new IOException(file + ":" + (i + 1) + ": not a JSON object: " + e.getMessage());
            }
            Object p = m.get("process");
            long process = "nemesis".equals(p) ? Op.NEMESIS : ((Number) p).longValue();
            Map<String, Object> extra = new HashMap<>();
            for (var e : m.entrySet()) if (!FIELDS.contains(e.getKey()) && e.getValue() != null) extra.put(e.getKey(), e.getValue());
            ops.add(new Op(ops.size(), num(m.get("time"), -1L), OpType.fromJepsen((String) m.get("type")), process,
                    (String) m.get("f"), m.get("value"), m.get("key"), (String) m.get("node"),
                    numOrNull(m.get("session")), numOrNull(m.get("zxid")), extra));
        }
        return new Loaded(ops, truncated);
    }

    private static boolean endsWithNewline(Path file) throws IOException {
        try (var ch = Files.newByteChannel(file)) {
            ch.position(ch.size() - 1);
            var b = java.nio.ByteBuffer.allocate(1);
            ch.read(b);
            return b.get(0) == '\n';
        }
    }

    private static long num(Object o, long fallback) {
        return o instanceof Number n ? n.longValue() : fallback;
    }

    private static Long numOrNull(Object o) {
        return o instanceof Number n ? n.longValue() : null;
    }
}
