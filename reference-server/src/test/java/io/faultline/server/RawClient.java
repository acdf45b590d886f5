package io.faultline.server;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import org.apache.jute.Record;
import org.apache.zookeeper.proto.ConnectRequest;
import org.apache.zookeeper.proto.ConnectResponse;
import org.apache.zookeeper.proto.RequestHeader;

/** A hand-driven protocol client for tests that need to misbehave (stop pinging, send garbage). */
final class RawClient implements AutoCloseable {
    final Socket socket;
    final DataOutputStream out;
    final DataInputStream in;
    long sessionId;

    RawClient(String host, int port) throws IOException {
        socket = new Socket(host, port);
        socket.setSoTimeout(10_000);
        out = new DataOutputStream(socket.getOutputStream());
        in = new DataInputStream(socket.getInputStream());
    }

    static RawClient connected(String host, int port, int timeoutMs) throws IOException {
        var c = new RawClient(host, port);
        c.frame(Jute.write(new ConnectRequest(0, 0, timeoutMs, 0, new byte[16], false)));
        var resp = Jute.read(c.readFrame(), new ConnectResponse());
        c.sessionId = resp.getSessionId();
        return c;
    }

    void frame(byte[] payload) throws IOException {
        out.writeInt(payload.length);
        out.write(payload);
        out.flush();
    }

    void request(int xid, int type, Record body) throws IOException {
        frame(Jute.write(new RequestHeader(xid, type), body));
    }

    byte[] readFrame() throws IOException {
        int len = in.readInt();
        return in.readNBytes(len);
    }

    /** True if the server closed the connection (EOF) within the socket timeout. */
    boolean closedByServer() {
        try {
            while (true) {
                int len = in.readInt();
                in.readNBytes(len);
            }
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
