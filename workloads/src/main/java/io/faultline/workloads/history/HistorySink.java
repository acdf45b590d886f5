package io.faultline.workloads.history;

import io.faultline.checker.history.Op;
import java.io.IOException;

/** Where recorded ops go as they happen (a file, nothing, ...). Called under the recorder's lock. */
public interface HistorySink extends AutoCloseable {
    void append(Op op) throws IOException;

    /** Makes everything appended so far visible to readers (e.g. after a crash). */
    void flush() throws IOException;

    @Override
    void close() throws IOException;

    HistorySink NONE = new HistorySink() {
        @Override public void append(Op op) {}
        @Override public void flush() {}
        @Override public void close() {}
    };
}
