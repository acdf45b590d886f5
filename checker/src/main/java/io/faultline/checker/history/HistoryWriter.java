package io.faultline.checker.history;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Writes histories as JSON Lines or Jepsen EDN; {@link HistoryReader} reads both back to equal ops. */
public final class HistoryWriter {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private HistoryWriter() {
    }

    public static void write(List<Op> history, Path file, HistoryFormat format) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            write(history, w, format);
        }
    }

    public static void write(Iterable<Op> history, Writer w, HistoryFormat format) throws IOException {
        if (format == HistoryFormat.EDN) {
            StringBuilder sb = new StringBuilder(256);
            for (Op op : history) {
                sb.setLength(0);
                appendEdn(sb, op);
                sb.append('\n');
                w.write(sb.toString());
            }
        } else {
            for (Op op : history) {
                w.write(toJson(op));
                w.write('\n');
            }
        }
        w.flush();
    }

    /** One op as a single-line JSON object with Jepsen's field names. */
    public static String toJson(Op op) {
        var out = new java.io.StringWriter(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("index", op.index());
            g.writeNumberField("time", op.time());
            g.writeStringField("type", op.type().jepsenName());
            if (op.isNemesis()) g.writeStringField("process", "nemesis");
            else g.writeNumberField("process", op.process());
            g.writeStringField("f", op.f());
            g.writeFieldName("value");
            writeJson(g, op.value());
            if (op.key() != null) {
                g.writeFieldName("key");
                writeJson(g, op.key());
            }
            if (op.node() != null) g.writeStringField("node", op.node());
            if (op.session() != null) g.writeNumberField("session", op.session());
            if (op.zxid() != null) g.writeNumberField("zxid", op.zxid());
            for (Map.Entry<String, Object> e : new java.util.TreeMap<>(op.extra()).entrySet()) {
                g.writeFieldName(e.getKey());
                writeJson(g, e.getValue());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString();
    }

    static void writeJson(JsonGenerator g, Object v) throws IOException {
        switch (v) {
            case null -> g.writeNull();
            case Long l -> g.writeNumber(l);
            case Integer i -> g.writeNumber(i);
            case BigInteger b -> g.writeNumber(b);
            case Number n -> g.writeNumber(n.doubleValue());
            case Boolean b -> g.writeBoolean(b);
            case Map<?, ?> m -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    g.writeFieldName(String.valueOf(e.getKey()));
                    writeJson(g, e.getValue());
                }
                g.writeEndObject();
            }
            case Collection<?> c -> {
                // JSON has no sets: written as arrays
                g.writeStartArray();
                for (Object o : c) writeJson(g, o);
                g.writeEndArray();
            }
            default -> g.writeString(String.valueOf(v));
        }
    }

    /** One op as an EDN map; type, f and map keys as keywords. */
    public static void appendEdn(StringBuilder sb, Op op) {
        sb.append("{:index ").append(op.index()).append(", :time ").append(op.time());
        sb.append(", :type :").append(op.type().jepsenName());
        sb.append(", :process ");
        if (op.isNemesis()) sb.append(":nemesis");
        else sb.append(op.process());
        sb.append(", :f ");
        keywordOrString(sb, op.f());
        sb.append(", :value ");
        appendEdnValue(sb, op.value());
        if (op.key() != null) appendEdnValue(sb.append(", :key "), op.key());
        if (op.node() != null) appendEdnValue(sb.append(", :node "), op.node());
        if (op.session() != null) sb.append(", :session ").append(op.session());
        if (op.zxid() != null) sb.append(", :zxid ").append(op.zxid());
        for (Map.Entry<String, Object> e : new java.util.TreeMap<>(op.extra()).entrySet()) {
            sb.append(", ");
            keywordOrString(sb, e.getKey());
            sb.append(' ');
            appendEdnValue(sb, e.getValue());
        }
        sb.append('}');
    }

    private static void keywordOrString(StringBuilder sb, String s) {
        if (!s.isEmpty() && s.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_?!*+.<>=/".indexOf(c) >= 0)
                && !Character.isDigit(s.charAt(0))) {
            sb.append(':').append(s);
        } else {
            appendEdnValue(sb, s);
        }
    }

    public static void appendEdnValue(StringBuilder sb, Object v) {
        switch (v) {
            case null -> sb.append("nil");
            case String s -> {
                sb.append('"');
                for (int i = 0; i < s.length(); i++) {
                    char c = s.charAt(i);
                    switch (c) {
                        case '"' -> sb.append("\\\"");
                        case '\\' -> sb.append("\\\\");
                        case '\n' -> sb.append("\\n");
                        case '\t' -> sb.append("\\t");
                        case '\r' -> sb.append("\\r");
                        default -> sb.append(c);
                    }
                }
                sb.append('"');
            }
            case Double d -> sb.append(d.isNaN() || d.isInfinite() ? "nil" : d.toString());
            case Map<?, ?> m -> {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!first) sb.append(", ");
                    first = false;
                    appendEdnValue(sb, e.getKey());
                    sb.append(' ');
                    appendEdnValue(sb, e.getValue());
                }
                sb.append('}');
            }
            case Set<?> s -> {
                sb.append("#{");
                boolean first = true;
                for (Object o : s) {
                    if (!first) sb.append(' ');
                    first = false;
                    appendEdnValue(sb, o);
                }
                sb.append('}');
            }
            case Collection<?> c -> {
                sb.append('[');
                boolean first = true;
                for (Object o : c) {
                    if (!first) sb.append(' ');
                    first = false;
                    appendEdnValue(sb, o);
                }
                sb.append(']');
            }
            default -> sb.append(v);
        }
    }
}
