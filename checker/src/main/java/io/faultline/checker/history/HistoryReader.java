package io.faultline.checker.history;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Streams Jepsen histories (JSON Lines or EDN) into {@link Op}s, one at a time, and checks that they pair up:
 * a completion needs an open invocation on its process, and a process has at most one open invocation.
 * Errors are {@link HistoryFormatException}s naming the file and line. Ops get dense indices in file order.
 */
public final class HistoryReader {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private HistoryReader() {
    }

    /** Reads a whole file, detecting the format. */
    public static List<Op> read(Path file) throws IOException {
        return read(file, null);
    }

    /** Reads a whole file in the given format (null: detect). */
    public static List<Op> read(Path file, HistoryFormat format) throws IOException {
        List<Op> ops = new ArrayList<>();
        stream(file, format, ops::add);
        return ops;
    }

    /** Streams a file's ops to the sink in order (null format: detect). */
    public static void stream(Path file, HistoryFormat format, Consumer<Op> sink) throws IOException {
        HistoryFormat f = format != null ? format : HistoryFormat.detect(file);
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            stream(r, file.toString(), f, sink);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Reads from text already in memory (tests, stdin). */
    public static List<Op> read(String text, String name, HistoryFormat format) {
        List<Op> ops = new ArrayList<>();
        try {
            stream(new java.io.StringReader(text), name, format, ops::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ops;
    }

    public static void stream(Reader reader, String name, HistoryFormat format, Consumer<Op> sink) throws IOException {
        Pairing pairing = new Pairing(name, sink);
        if (format == HistoryFormat.EDN) readEdn(reader, name, pairing);
        else readJsonLines(reader instanceof BufferedReader b ? b : new BufferedReader(reader), name, pairing);
        pairing.finish();
    }

    // ---------------------------------------------------------------- EDN

    private static void readEdn(Reader reader, String name, Pairing pairing) throws IOException {
        EdnParser p = new EdnParser(reader, name);
        int c = p.skipBlank();
        if (c == '[' || c == '(') {
            // A vector or list of ops: stream its elements instead of building the whole vector.
            p.consume();
            char close = c == '[' ? ']' : ')';
            while (true) {
                int d = p.skipBlank();
                if (d < 0) throw p.error("unexpected end of input: missing '" + close + "'");
                long line = p.line();
                Object o = p.read();
                if (o == EdnParser.END) break;
                pairing.accept(toOp(o, name, line), line);
            }
            if (p.read() != EdnParser.EOF) throw p.error("unexpected data after the history's closing bracket");
        } else {
            while (true) {
                p.skipBlank();
                long line = p.line();
                Object o = p.read();
                if (o == EdnParser.EOF) break;
                if (o == EdnParser.END) throw p.error("unexpected closing bracket");
                pairing.accept(toOp(o, name, line), line);
            }
        }
    }

    // ---------------------------------------------------------------- JSON Lines

    private static void readJsonLines(BufferedReader r, String name, Pairing pairing) throws IOException {
        String text;
        long line = 0;
        while ((text = r.readLine()) != null) {
            line++;
            if (text.isBlank()) continue;
            Object value;
            try (JsonParser jp = JSON.createParser(text)) {
                JsonToken t = jp.nextToken();
                value = jsonValue(jp, t);
                if (jp.nextToken() != null) throw new HistoryFormatException(name, line, "more than one JSON value on the line");
            } catch (JsonProcessingException e) {
                throw new HistoryFormatException(name, line, "bad JSON: " + e.getOriginalMessage());
            }
            pairing.accept(toOp(value, name, line), line);
        }
    }

    private static Object jsonValue(JsonParser jp, JsonToken t) throws IOException {
        if (t == null) throw new com.fasterxml.jackson.core.JsonParseException(jp, "unexpected end of input");
        return switch (t) {
            case START_OBJECT -> {
                Map<Object, Object> m = new LinkedHashMap<>();
                JsonToken k;
                while ((k = jp.nextToken()) != JsonToken.END_OBJECT) {
                    if (k == null) throw new com.fasterxml.jackson.core.JsonParseException(jp, "unexpected end of input");
                    String field = jp.currentName();
                    m.put(field, jsonValue(jp, jp.nextToken()));
                }
                yield m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                JsonToken e;
                while ((e = jp.nextToken()) != JsonToken.END_ARRAY) l.add(jsonValue(jp, e));
                yield l;
            }
            case VALUE_STRING -> jp.getText();
            case VALUE_NUMBER_INT -> {
                if (jp.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    BigInteger b = jp.getBigIntegerValue();
                    yield b;
                }
                yield jp.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> jp.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new com.fasterxml.jackson.core.JsonParseException(jp, "unexpected token " + t);
        };
    }

    // ---------------------------------------------------------------- op maps

    private static Op toOp(Object o, String name, long line) {
        if (!(o instanceof Map<?, ?> m)) {
            throw new HistoryFormatException(name, line, "expected an op map but found " + describe(o));
        }
        Object type = null, process = null, f = null, value = null, key = null, node = null, session = null, zxid = null;
        long time = -1;
        Map<String, Object> extra = null;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String k = String.valueOf(e.getKey());
            Object v = e.getValue();
            switch (k) {
                case "type" -> type = v;
                case "process" -> process = v;
                case "f" -> f = v;
                case "value" -> value = v;
                case "key" -> key = v;
                case "node" -> node = v;
                case "session" -> session = v;
                case "zxid" -> zxid = v;
                case "time" -> {
                    if (v instanceof Number n) time = n.longValue();
                    else if (v != null) throw new HistoryFormatException(name, line, "time must be a number, not " + describe(v));
                }
                case "index" -> { /* indices are reassigned densely in file order */ }
                default -> {
                    if (extra == null) extra = new HashMap<>();
                    if (v != null) extra.put(k, v);
                }
            }
        }
        if (type == null) throw new HistoryFormatException(name, line, "op has no type");
        OpType opType;
        try {
            opType = OpType.fromJepsen(String.valueOf(type));
        } catch (IllegalArgumentException e) {
            throw new HistoryFormatException(name, line, "unknown op type '" + type + "' (invoke|ok|fail|info)");
        }
        long proc;
        if (process instanceof Number n && !(process instanceof Double)) proc = n.longValue();
        else if ("nemesis".equals(process)) proc = Op.NEMESIS;
        else throw new HistoryFormatException(name, line, "process must be an integer or nemesis, not " + describe(process));
        if (f == null) {
            if (proc != Op.NEMESIS) throw new HistoryFormatException(name, line, "op has no f");
            f = "";
        }
        return new Op(-1, time, opType, proc, String.valueOf(f), value, key, node == null ? null : String.valueOf(node),
                toLong(session, "session", name, line), toLong(zxid, "zxid", name, line), extra);
    }

    private static Long toLong(Object v, String field, String name, long line) {
        if (v == null) return null;
        if (v instanceof Number n) return n.longValue();
        throw new HistoryFormatException(name, line, field + " must be an integer, not " + describe(v));
    }

    private static String describe(Object o) {
        if (o == null) return "nil";
        String s = String.valueOf(o);
        if (s.length() > 40) s = s.substring(0, 40) + "...";
        return o.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " " + s;
    }

    /** Assigns dense indices and checks invocation/completion pairing per process. */
    private static final class Pairing {
        private final String name;
        private final Consumer<Op> sink;
        private final Map<Long, Long> openSince = new HashMap<>(); // process -> line of its open invocation
        private long index;

        Pairing(String name, Consumer<Op> sink) {
            this.name = name;
            this.sink = sink;
        }

        void accept(Op op, long line) {
            if (!op.isNemesis()) {
                Long open = openSince.get(op.process());
                if (op.isInvoke()) {
                    if (open != null) {
                        throw new HistoryFormatException(name, line, "process " + op.process()
                                + " invokes again while its invocation on line " + open + " is still open");
                    }
                    openSince.put(op.process(), line);
                } else if (open != null) {
                    openSince.remove(op.process());
                } else if (op.type() != OpType.INFO) {
                    // An :info with nothing open is a note (e.g. a crash report), not a client op: Jepsen keeps those.
                    throw new HistoryFormatException(name, line, "completion (" + op.type().jepsenName() + " " + op.f()
                            + ") on process " + op.process() + " with no open invocation");
                }
            }
            sink.accept(new Op(index++, op.time(), op.type(), op.process(), op.f(), op.value(), op.key(), op.node(),
                    op.session(), op.zxid(), op.extra()));
        }

        void finish() {
        }
    }
}
