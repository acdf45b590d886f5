package io.faultline.server.zab.net;

import io.faultline.server.zab.LogEntry;
import io.faultline.server.zab.ServerState;
import io.faultline.server.zab.Vote;
import io.faultline.server.zab.ZabMessage;
import io.faultline.server.zab.ZabMessage.Ack;
import io.faultline.server.zab.ZabMessage.AckEpoch;
import io.faultline.server.zab.ZabMessage.AckNewLeader;
import io.faultline.server.zab.ZabMessage.Commit;
import io.faultline.server.zab.ZabMessage.Diff;
import io.faultline.server.zab.ZabMessage.FollowerInfo;
import io.faultline.server.zab.ZabMessage.Inform;
import io.faultline.server.zab.ZabMessage.LeaderInfo;
import io.faultline.server.zab.ZabMessage.NewLeader;
import io.faultline.server.zab.ZabMessage.Notification;
import io.faultline.server.zab.ZabMessage.Ping;
import io.faultline.server.zab.ZabMessage.PingAck;
import io.faultline.server.zab.ZabMessage.Proposal;
import io.faultline.server.zab.ZabMessage.Request;
import io.faultline.server.zab.ZabMessage.Snap;
import io.faultline.server.zab.ZabMessage.SyncReply;
import io.faultline.server.zab.ZabMessage.SyncRequest;
import io.faultline.server.zab.ZabMessage.Trunc;
import io.faultline.server.zab.ZabMessage.UpToDate;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary encoding of {@link ZabMessage}s between faultline peers (our own format, big-endian; ZooKeeper's
 * QuorumPacket type numbers are used as tags where one exists). Frames are length-prefixed by the transport.
 */
public final class ZabCodec {
    /** Largest payload a peer accepts (a DIFF of a long history can be big). */
    public static final int MAX_FRAME = 256 << 20;

    private ZabCodec() {}

    public static byte[] encode(ZabMessage m) {
        var bytes = new ByteArrayOutputStream(64);
        try (var out = new DataOutputStream(bytes)) {
            switch (m) {
                case Notification n -> {
                    out.writeByte(100);
                    out.writeInt(n.state().code);
                    out.writeLong(n.vote().leader());
                    out.writeLong(n.vote().zxid());
                    out.writeLong(n.round());
                    out.writeLong(n.vote().peerEpoch());
                }
                case FollowerInfo f -> {
                    out.writeByte(f.observer() ? 16 : 11);
                    out.writeLong(f.acceptedEpoch());
                }
                case LeaderInfo l -> {
                    out.writeByte(17);
                    out.writeLong(l.newEpoch());
                }
                case AckEpoch a -> {
                    out.writeByte(18);
                    out.writeLong(a.newEpoch());
                    out.writeLong(a.currentEpoch());
                    out.writeLong(a.lastZxid());
                    out.writeBoolean(a.fresh());
                    out.writeInt(a.epochTails().length);
                    for (long t : a.epochTails()) {
                        out.writeLong(t);
                    }
                }
                case Trunc t -> {
                    out.writeByte(14);
                    out.writeLong(t.zxid());
                }
                case Diff d -> {
                    out.writeByte(13);
                    out.writeLong(d.committedZxid());
                    writeEntries(out, d.entries());
                }
                case Snap s -> {
                    out.writeByte(15);
                    out.writeLong(s.committedZxid());
                    out.writeLong(s.snapshotZxid());
                    out.writeInt(s.state().length);
                    out.write(s.state());
                    writeEntries(out, s.entries());
                }
                case NewLeader n -> {
                    out.writeByte(10);
                    out.writeLong(n.epoch());
                }
                case AckNewLeader a -> {
                    out.writeByte(20);
                    out.writeLong(a.epoch());
                    out.writeLong(a.durableZxid());
                }
                case UpToDate u -> {
                    out.writeByte(12);
                    out.writeLong(u.committedZxid());
                }
                case Proposal p -> {
                    out.writeByte(2);
                    writeEntry(out, p.entry());
                }
                case Ack a -> {
                    out.writeByte(3);
                    out.writeLong(a.zxid());
                }
                case Commit c -> {
                    out.writeByte(4);
                    out.writeLong(c.zxid());
                }
                case Inform i -> {
                    out.writeByte(8);
                    writeEntry(out, i.entry());
                }
                case Ping p -> {
                    out.writeByte(5);
                    out.writeLong(p.lastCommitted());
                }
                case PingAck p -> out.writeByte(21);
                case Request r -> {
                    out.writeByte(1);
                    out.writeInt(r.data().length);
                    out.write(r.data());
                }
                case SyncRequest s -> {
                    out.writeByte(7);
                    out.writeLong(s.syncId());
                }
                case SyncReply s -> {
                    out.writeByte(22);
                    out.writeLong(s.syncId());
                }
                case ZabMessage.Touches t -> {
                    out.writeByte(23);
                    out.writeInt(t.sessionIds().length);
                    for (long sid : t.sessionIds()) {
                        out.writeLong(sid);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Decodes one message; a malformed payload raises IOException (the connection is then dropped). */
    public static ZabMessage decode(byte[] data) throws IOException {
        try (var in = new DataInputStream(new ByteArrayInputStream(data))) {
            int tag = in.readUnsignedByte();
            ZabMessage m = switch (tag) {
                case 100 -> {
                    ServerState state = ServerState.ofCode(in.readInt());
                    long leader = in.readLong();
                    long zxid = in.readLong();
                    long round = in.readLong();
                    long peerEpoch = in.readLong();
                    yield new Notification(state, new Vote(leader, zxid, peerEpoch), round);
                }
                case 11 -> new FollowerInfo(in.readLong(), false);
                case 16 -> new FollowerInfo(in.readLong(), true);
                case 17 -> new LeaderInfo(in.readLong());
                case 18 -> {
                    long e = in.readLong();
                    long ce = in.readLong();
                    long z = in.readLong();
                    boolean fresh = in.readBoolean();
                    int n = in.readInt();
                    if (n < 0 || n > 1 << 20) {
                        throw new IOException("bad epoch tail count " + n);
                    }
                    long[] tails = new long[n];
                    for (int i = 0; i < n; i++) {
                        tails[i] = in.readLong();
                    }
                    yield new AckEpoch(e, ce, z, fresh, tails);
                }
                case 14 -> new Trunc(in.readLong());
                case 13 -> {
                    long c = in.readLong();
                    yield new Diff(readEntries(in), c);
                }
                case 15 -> {
                    long c = in.readLong();
                    long snapshotZxid = in.readLong();
                    byte[] state = readBytes(in);
                    yield new Snap(snapshotZxid, state, readEntries(in), c);
                }
                case 10 -> new NewLeader(in.readLong());
                case 20 -> new AckNewLeader(in.readLong(), in.readLong());
                case 12 -> new UpToDate(in.readLong());
                case 2 -> new Proposal(readEntry(in));
                case 3 -> new Ack(in.readLong());
                case 4 -> new Commit(in.readLong());
                case 8 -> new Inform(readEntry(in));
                case 5 -> new Ping(in.readLong());
                case 21 -> new PingAck();
                case 1 -> new Request(readBytes(in));
                case 7 -> new SyncRequest(in.readLong());
                case 22 -> new SyncReply(in.readLong());
                case 23 -> {
                    int n = in.readInt();
                    if (n < 0 || n > 1 << 22) {
                        throw new IOException("bad session count " + n);
                    }
                    long[] sids = new long[n];
                    for (int i = 0; i < n; i++) {
                        sids[i] = in.readLong();
                    }
                    yield new ZabMessage.Touches(sids);
                }
                default -> throw new IOException("unknown ZAB message tag " + tag);
            };
            if (in.available() > 0) {
                throw new IOException("trailing bytes after ZAB message tag " + tag);
            }
            return m;
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static void writeEntries(DataOutputStream out, List<LogEntry> entries) throws IOException {
        out.writeInt(entries.size());
        for (LogEntry e : entries) {
            writeEntry(out, e);
        }
    }

    private static List<LogEntry> readEntries(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_FRAME / 12) {
            throw new IOException("bad entry count " + n);
        }
        List<LogEntry> list = new ArrayList<>(Math.min(n, 4096));
        for (int i = 0; i < n; i++) {
            list.add(readEntry(in));
        }
        return list;
    }

    private static void writeEntry(DataOutputStream out, LogEntry e) throws IOException {
        out.writeLong(e.zxid());
        out.writeInt(e.data().length);
        out.write(e.data());
    }

    private static LogEntry readEntry(DataInputStream in) throws IOException {
        long zxid = in.readLong();
        return new LogEntry(zxid, readBytes(in));
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int len = in.readInt();
        if (len < 0 || len > MAX_FRAME) {
            throw new IOException("bad length " + len);
        }
        byte[] b = new byte[len];
        in.readFully(b);
        return b;
    }
}
