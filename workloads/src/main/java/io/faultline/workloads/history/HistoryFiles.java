package io.faultline.workloads.history;

import io.faultline.checker.history.HistoryFormat;
import io.faultline.checker.history.HistoryFormatException;
import io.faultline.checker.history.HistoryReader;
import io.faultline.checker.history.Op;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a stored history.jsonl back with the checker's {@link HistoryReader}, adding only what a crash
 * mid-run needs: a last line cut short (no newline, not readable) is dropped and reported. Anything
 * else malformed is an error naming the file and line.
 */
public final class HistoryFiles {
    /** What was read, and whether a torn last line was dropped. */
    public record Loaded(List<Op> ops, boolean truncatedTail) {}

    private HistoryFiles() {}

    public static Loaded read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String name = file.toString();
        try {
            return new Loaded(HistoryReader.read(text, name, HistoryFormat.JSONL), false);
        } catch (HistoryFormatException e) {
            // the writer ends every line with a newline: a bad last line without one is the crash's torn write
            boolean tornTail = !text.endsWith("\n") && e.line() == text.lines().count();
            if (!tornTail) throw new IOException(e.getMessage(), e);
            try {
                return new Loaded(HistoryReader.read(text.substring(0, text.lastIndexOf('\n') + 1), name, HistoryFormat.JSONL), true);
            } catch (HistoryFormatException again) {
                throw new IOException(again.getMessage(), again);
            }
        }
    }
}
