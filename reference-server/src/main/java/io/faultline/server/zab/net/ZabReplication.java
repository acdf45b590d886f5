package io.faultline.server.zab.net;

import io.faultline.server.ClientRequest;
import io.faultline.server.ServerCore;
import io.faultline.server.TxnCommitter;
import io.faultline.server.WritePath;
import io.faultline.server.txn.Txn;
import io.faultline.server.txn.TxnBody;
import io.faultline.server.zab.LogEntry;
import io.faultline.server.zab.ServerState;
import io.faultline.server.zab.Zxid;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.zookeeper.data.Id;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires a {@link ZabNode} into the standalone server's seams ({@code docs/reference-server-design.md}):
 * the leader's commit stage is ZAB ({@link TxnCommitter}: propose, quorum ACK, commit), every server applies
 * committed transactions through {@link ServerCore#deliverCommitted}, learners forward writes to the leader, and
 * a server serves clients only while it is in a synced quorum ({@link ServerCore#setServing}).
 *
 * <p>The ServerCore must start from an empty tree: ZAB replays the whole replicated history into it.
 */
public final class ZabReplication implements ZabNode.Application, TxnCommitter, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ZabReplication.class);

    private final ServerCore core;
    private final ZabNode node;
    private final WritePath forwarding;
    private final WritePath refusing;

    public ZabReplication(QuorumConfig qc, ServerCore core) throws IOException {
        this.core = core;
        this.node = new ZabNode(qc, new ZabStorage(qc.zabDataDir()), this);
        this.forwarding = request -> node.forward(encodeRequest(request), ok -> {
            if (!ok) {
                log.debug("could not forward a write of session 0x{}: not following a leader",
                        Long.toHexString(request.sessionId()));
            }
        });
        this.refusing = request -> log.debug("not serving: dropping a write of session 0x{}",
                Long.toHexString(request.sessionId()));
        core.initWritePath(refusing);
        core.setSessionAuthority(false);
        core.setServing(false, "looking");
    }

    public void start() throws IOException {
        node.start();
    }

    public ZabNode node() {
        return node;
    }

    // ---------------------------------------------------------------- TxnCommitter (leader)

    @Override
    public void submit(Txn txn) {
        node.propose(txn.serialize(), txn.zxid(), ok -> {
            if (!ok) {
                log.warn("txn 0x{} was not proposed (no longer an established leader, or zxid out of step)",
                        Long.toHexString(txn.zxid()));
            }
        });
    }

    // ---------------------------------------------------------------- ZabNode.Application

    @Override
    public void apply(LogEntry entry) {
        core.deliverCommitted(Txn.deserialize(entry.data()));
    }

    @Override
    public void reset() {
        throw new UnsupportedOperationException("SNAP state transfer into a running ServerCore is not supported");
    }

    @Override
    public void roleChanged(ServerState state, long leaderId) {
        if (state == ServerState.LOOKING) {
            core.setSessionAuthority(false);
        }
    }

    @Override
    public void servingChanged(boolean serving, ServerState state, long epoch) {
        if (!serving) {
            core.setSessionAuthority(false);
            core.setWritePath(refusing);
            core.setServing(false, state.mode());
            return;
        }
        if (state == ServerState.LEADING) {
            // As in ZooKeeper the leader's zxid becomes (epoch, 0) once established, so the core's next assigned
            // zxid is (epoch, 1): the one ZAB will give the first proposal of the epoch.
            core.deliverCommitted(new Txn(0, 0, Zxid.make(epoch, 0), System.currentTimeMillis(), new TxnBody.ErrorTxn(0)));
            core.setWritePath(core.localWritePath(this));
            core.setSessionAuthority(true);
        } else {
            core.setWritePath(forwarding);
            core.setSessionAuthority(false);
        }
        core.setServing(true, state.mode());
    }

    @Override
    public void requestForwarded(long from, byte[] request) {
        try {
            core.submitForwarded(decodeRequest(request));
        } catch (IOException e) {
            log.warn("dropping a malformed request forwarded by server {}: {}", from, e.getMessage());
        }
    }

    @Override
    public void syncDone(long syncId) {
        // ServerCore answers sync() locally; see the report / design doc.
    }

    @Override
    public void sessionsTouched(long[] sessionIds) {
        for (long sid : sessionIds) {
            core.touchSession(sid);
        }
    }

    /** Sessions with live client connections on this server; relayed to the leader, which runs session expiry. */
    public void localSessionsAlive(long[] sessionIds) {
        if (sessionIds.length > 0) {
            node.touchSessions(sessionIds);
        }
    }

    @Override
    public void close() {
        node.close();
    }

    // ---------------------------------------------------------------- forwarded request encoding

    static byte[] encodeRequest(ClientRequest r) {
        var bytes = new ByteArrayOutputStream(32 + r.body().length);
        try (var out = new DataOutputStream(bytes)) {
            out.writeLong(r.sessionId());
            out.writeInt(r.cxid());
            out.writeInt(r.opcode());
            out.writeInt(r.body().length);
            out.write(r.body());
            out.writeInt(r.authInfo().size());
            for (Id id : r.authInfo()) {
                out.writeUTF(id.getScheme());
                out.writeUTF(id.getId());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static ClientRequest decodeRequest(byte[] data) throws IOException {
        try (var in = new DataInputStream(new ByteArrayInputStream(data))) {
            long sid = in.readLong();
            int cxid = in.readInt();
            int op = in.readInt();
            int len = in.readInt();
            if (len < 0 || len > data.length) {
                throw new IOException("bad body length " + len);
            }
            byte[] body = new byte[len];
            in.readFully(body);
            int n = in.readInt();
            if (n < 0 || n > 1000) {
                throw new IOException("bad auth count " + n);
            }
            List<Id> auth = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                auth.add(new Id(in.readUTF(), in.readUTF()));
            }
            return new ClientRequest(sid, cxid, op, body, List.copyOf(auth));
        }
    }
}
