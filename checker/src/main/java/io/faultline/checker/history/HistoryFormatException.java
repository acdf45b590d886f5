package io.faultline.checker.history;

/** Malformed history input, with the file and line where it was found. */
public final class HistoryFormatException extends RuntimeException {
    private final String file;
    private final long line;

    public HistoryFormatException(String file, long line, String message) {
        super(file + ":" + line + ": " + message);
        this.file = file;
        this.line = line;
    }

    public HistoryFormatException(String file, long line, String message, Throwable cause) {
        super(file + ":" + line + ": " + message, cause);
        this.file = file;
        this.line = line;
    }

    public String file() {
        return file;
    }

    public long line() {
        return line;
    }
}
