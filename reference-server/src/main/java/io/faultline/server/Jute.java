package io.faultline.server;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.jute.Record;

/** Encoding helpers over the generated jute records. */
public final class Jute {
    private Jute() {}

    /** Reads a record from the whole body; trailing bytes are tolerated as ZooKeeper does. */
    public static <T extends Record> T read(byte[] body, T record) throws IOException {
        record.deserialize(new org.apache.jute.BinaryInputArchive(new DataInputStream(new ByteArrayInputStream(body))), "r");
        return record;
    }

    public static byte[] write(Record... records) {
        var bytes = new ByteArrayOutputStream(64);
        var out = new org.apache.jute.BinaryOutputArchive(new DataOutputStream(bytes));
        try {
            for (Record r : records) if (r != null) r.serialize(out, "r");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
