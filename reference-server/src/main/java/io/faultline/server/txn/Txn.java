package io.faultline.server.txn;

import io.faultline.server.txn.TxnBody.*;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;

/**
 * One state change with its zxid. The serialized form is faultline's own, stable and versioned: replication
 * ships it as opaque bytes and the transaction log stores it.
 */
public record Txn(long sessionId, int cxid, long zxid, long time, TxnBody body) {
    private static final byte FORMAT_VERSION = 1;

    public int type() { return body.opcode(); }

    public byte[] serialize() {
        var bytes = new ByteArrayOutputStream(64);
        try (var out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT_VERSION);
            out.writeLong(sessionId);
            out.writeInt(cxid);
            out.writeLong(zxid);
            out.writeLong(time);
            writeBody(out, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static Txn deserialize(byte[] data) {
        try (var in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte version = in.readByte();
            if (version != FORMAT_VERSION) throw new IllegalArgumentException("unknown txn format " + version);
            long sessionId = in.readLong();
            int cxid = in.readInt();
            long zxid = in.readLong();
            long time = in.readLong();
            TxnBody body = readBody(in);
            if (in.available() != 0) throw new IllegalArgumentException("trailing bytes after txn");
            return new Txn(sessionId, cxid, zxid, time, body);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated txn", e);
        }
    }

    private static void writeBody(DataOutputStream out, TxnBody body) throws IOException {
        out.writeInt(body.opcode());
        switch (body) {
            case CreateTxn c -> {
                writeString(out, c.path());
                writeBytes(out, c.data());
                writeAcl(out, c.acl());
                out.writeLong(c.ephemeralOwner());
                out.writeInt(c.parentCversion());
            }
            case DeleteTxn d -> writeString(out, d.path());
            case SetDataTxn s -> {
                writeString(out, s.path());
                writeBytes(out, s.data());
                out.writeInt(s.version());
            }
            case SetAclTxn s -> {
                writeString(out, s.path());
                writeAcl(out, s.acl());
                out.writeInt(s.version());
            }
            case CheckTxn c -> {
                writeString(out, c.path());
                out.writeInt(c.version());
            }
            case ErrorTxn e -> out.writeInt(e.err());
            case MultiTxn m -> {
                out.writeInt(m.ops().size());
                for (TxnBody op : m.ops()) writeBody(out, op);
            }
            case CreateSessionTxn s -> {
                out.writeInt(s.timeoutMs());
                writeBytes(out, s.password());
            }
            case CloseSessionTxn c -> {
                out.writeInt(c.ephemeralsToDelete().size());
                for (String p : c.ephemeralsToDelete()) writeString(out, p);
            }
        }
    }

    private static TxnBody readBody(DataInputStream in) throws IOException {
        int op = in.readInt();
        return switch (op) {
            case Ops.CREATE, Ops.CREATE2, Ops.CREATE_CONTAINER, Ops.CREATE_TTL -> new CreateTxn(
                    readString(in), readBytes(in), readAcl(in), in.readLong(), in.readInt(), op);
            case Ops.DELETE, Ops.DELETE_CONTAINER -> new DeleteTxn(readString(in), op);
            case Ops.SET_DATA -> new SetDataTxn(readString(in), readBytes(in), in.readInt());
            case Ops.SET_ACL -> new SetAclTxn(readString(in), readAcl(in), in.readInt());
            case Ops.CHECK -> new CheckTxn(readString(in), in.readInt());
            case Ops.ERROR -> new ErrorTxn(in.readInt());
            case Ops.MULTI -> {
                int n = in.readInt();
                var ops = new ArrayList<TxnBody>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) ops.add(readBody(in));
                yield new MultiTxn(List.copyOf(ops));
            }
            case Ops.CREATE_SESSION -> new CreateSessionTxn(in.readInt(), readBytes(in));
            case Ops.CLOSE_SESSION -> {
                int n = in.readInt();
                var paths = new ArrayList<String>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) paths.add(readString(in));
                yield new CloseSessionTxn(List.copyOf(paths));
            }
            default -> throw new IllegalArgumentException("unknown txn opcode " + op);
        };
    }

    static void writeString(DataOutputStream out, String s) throws IOException {
        writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
    }

    static String readString(DataInputStream in) throws IOException {
        return new String(readBytes(in), StandardCharsets.UTF_8);
    }

    static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        if (b == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(b.length);
            out.write(b);
        }
    }

    static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n == -1) return null;
        if (n < 0 || n > in.available()) throw new IOException("bad length " + n);
        return in.readNBytes(n);
    }

    private static void writeAcl(DataOutputStream out, List<ACL> acl) throws IOException {
        out.writeInt(acl.size());
        for (ACL a : acl) {
            out.writeInt(a.getPerms());
            writeString(out, a.getId().getScheme());
            writeString(out, a.getId().getId());
        }
    }

    private static List<ACL> readAcl(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 65536) throw new IOException("bad acl count " + n);
        var acl = new ArrayList<ACL>(n);
        for (int i = 0; i < n; i++) {
            int perms = in.readInt();
            acl.add(new ACL(perms, new Id(readString(in), readString(in))));
        }
        return List.copyOf(acl);
    }
}
