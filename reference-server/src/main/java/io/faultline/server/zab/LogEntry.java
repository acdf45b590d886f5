package io.faultline.server.zab;

import java.util.Arrays;

/** One replicated transaction: its zxid and the application's opaque bytes. */
public record LogEntry(long zxid, byte[] data) {
    @Override
    public boolean equals(Object o) {
        return o instanceof LogEntry e && e.zxid == zxid && Arrays.equals(e.data, data);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(zxid) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "LogEntry[" + Zxid.hex(zxid) + ", " + data.length + " bytes]";
    }
}
