package io.faultline.chaos.cluster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The four-letter words (srvr, mntr, ruok) that both ZooKeeper and the reference server answer on
 * their client port. Sent straight to the node's real client address, never through a proxy: the
 * harness must see a node's own view even while the node is partitioned.
 */
public final class FourLetterWords {
    private static final int MAX_ANSWER = 1 << 20;

    private FourLetterWords() {}

    /** Sends {@code word} and returns everything the server writes before it closes. */
    public static String send(InetSocketAddress server, String word, Duration timeout) throws IOException {
        if (word.length() != 4) throw new IllegalArgumentException("not a four-letter word: " + word);
        try (Socket socket = new Socket()) {
            int millis = (int) Math.max(1, timeout.toMillis());
            socket.connect(server, millis);
            socket.setSoTimeout(millis);
            socket.getOutputStream().write(word.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                answer.write(buffer, 0, n);
                if (answer.size() > MAX_ANSWER) throw new IOException(word + " answer over " + MAX_ANSWER + " bytes");
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * The node's status from srvr, falling back to mntr for the role when srvr has no Mode line.
     * Never throws: a node that does not answer is {@link NodeStatus#UNREACHABLE}.
     */
    public static NodeStatus status(InetSocketAddress server, Duration timeout) {
        String srvr;
        try {
            srvr = send(server, "srvr", timeout);
        } catch (IOException e) {
            return NodeStatus.UNREACHABLE;
        }
        NodeStatus parsed = parseSrvr(srvr);
        if (parsed.role() != Role.NOT_SERVING || srvr.contains("not currently serving")) return parsed;
        try {
            NodeStatus fromMntr = parseMntr(send(server, "mntr", timeout));
            long zxid = parsed.zxid() >= 0 ? parsed.zxid() : fromMntr.zxid();
            return new NodeStatus(fromMntr.role(), zxid, srvr + fromMntr.raw());
        } catch (IOException e) {
            return parsed;
        }
    }

    /** Parses srvr output: {@code Zxid: 0x...} and {@code Mode: leader|follower|observer|standalone}. */
    public static NodeStatus parseSrvr(String text) {
        Role role = Role.NOT_SERVING;
        long zxid = -1;
        for (String line : text.split("\\R")) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (key.equalsIgnoreCase("Mode")) role = Role.parse(value);
            else if (key.equalsIgnoreCase("Zxid")) zxid = parseZxid(value);
        }
        return new NodeStatus(role, zxid, text);
    }

    /** Parses mntr output (tab-separated {@code key value} lines): zk_server_state and, if present, zk_zxid. */
    public static NodeStatus parseMntr(String text) {
        Role role = Role.NOT_SERVING;
        long zxid = -1;
        for (String line : text.split("\\R")) {
            String[] kv = line.trim().split("\\s+", 2);
            if (kv.length < 2) continue;
            switch (kv[0]) {
                case "zk_server_state" -> role = Role.parse(kv[1]);
                case "zk_zxid", "zk_last_zxid" -> zxid = parseZxid(kv[1]);
                default -> { }
            }
        }
        return new NodeStatus(role, zxid, text);
    }

    static long parseZxid(String value) {
        String v = value.trim();
        try {
            if (v.startsWith("0x") || v.startsWith("0X")) return Long.parseUnsignedLong(v.substring(2), 16);
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
