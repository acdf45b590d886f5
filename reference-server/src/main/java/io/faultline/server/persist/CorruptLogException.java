package io.faultline.server.persist;

import java.io.IOException;

/** The transaction log is damaged before its last record: the server must not start on it. */
public final class CorruptLogException extends IOException {
    public CorruptLogException(String message) { super(message); }
}
