package io.faultline.workloads.history;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.checker.history.Op;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes history.jsonl: one Jepsen-style op map per line (index, time, type, process, f, value, key,
 * node, session, zxid, then the extra fields flat), as in docs/history-format.md. Lines are written
 * as ops happen and flushed to the OS at least every {@link HistoryRecorder#FLUSH_INTERVAL_MS}, so a
 * crash leaves a history that is checkable up to the last whole line.
 */
public final class JsonlHistorySink implements HistorySink {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final OutputStream out;
    private final JsonGenerator json;

    public JsonlHistorySink(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        JsonFactory factory = MAPPER.getFactory();
        this.json = factory.createGenerator(out, JsonEncoding.UTF8);
        json.setRootValueSeparator(null);
    }

    @Override
    public void append(Op op) throws IOException {
        json.writeStartObject();
        json.writeNumberField("index", op.index());
        json.writeNumberField("time", op.time());
        json.writeStringField("type", op.type().jepsenName());
        if (op.isNemesis()) json.writeStringField("process", "nemesis");
        else json.writeNumberField("process", op.process());
        json.writeStringField("f", op.f());
        json.writeFieldName("value");
        MAPPER.writeValue(json, op.value());
        if (op.key() != null) {
            json.writeFieldName("key");
            MAPPER.writeValue(json, op.key());
        }
        if (op.node() != null) json.writeStringField("node", op.node());
        if (op.session() != null) json.writeNumberField("session", op.session());
        if (op.zxid() != null) json.writeNumberField("zxid", op.zxid());
        for (Map.Entry<String, Object> e : op.extra().entrySet()) {
            json.writeFieldName(e.getKey());
            MAPPER.writeValue(json, e.getValue());
        }
        json.writeEndObject();
        json.flush();
        out.write('\n');
    }

    @Override
    public void flush() throws IOException {
        json.flush();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        flush();
        json.close();
        out.close();
    }
}
