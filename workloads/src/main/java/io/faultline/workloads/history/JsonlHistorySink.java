package io.faultline.workloads.history;

import io.faultline.checker.history.HistoryWriter;
import io.faultline.checker.history.Op;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Appends history.jsonl as ops happen, one line per op in the checker's format
 * ({@link HistoryWriter#toJson}, docs/history-format.md), so the checker's reader reads it back.
 * Flushed to the OS at least every {@link HistoryRecorder#FLUSH_INTERVAL_MS}: a crash leaves a history
 * that is checkable up to the last whole line.
 */
public final class JsonlHistorySink implements HistorySink {
    private final BufferedWriter out;

    public JsonlHistorySink(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    @Override
    public void append(Op op) throws IOException {
        out.write(HistoryWriter.toJson(op));
        out.write('\n');
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
