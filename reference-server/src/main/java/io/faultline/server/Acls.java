package io.faultline.server;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;

/** ACL schemes world, digest, ip and auth: validation and permission checks as ZooKeeper does them. */
public final class Acls {
    private Acls() {}

    public static final int READ = 1, WRITE = 2, CREATE = 4, DELETE = 8, ADMIN = 16, ALL = 31;

    /** "user:password" → the digest id "user:base64(sha1(user:password))". */
    public static String digestId(String userPassword) {
        int colon = userPassword.indexOf(':');
        String user = colon < 0 ? userPassword : userPassword.substring(0, colon);
        try {
            byte[] sha = MessageDigest.getInstance("SHA1").digest(userPassword.getBytes(StandardCharsets.UTF_8));
            return user + ":" + Base64.getEncoder().encodeToString(sha);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Validates and expands ("auth" → the connection's authenticated ids) an ACL list; InvalidACL if bad. */
    public static List<ACL> fixup(List<ACL> acl, List<Id> authInfo) throws KeeperError {
        if (acl == null || acl.isEmpty()) throw new KeeperError(KeeperError.INVALID_ACL);
        var out = new LinkedHashSet<ACL>();
        for (ACL a : acl) {
            Id id = a.getId();
            if (id == null || id.getScheme() == null || id.getId() == null) throw new KeeperError(KeeperError.INVALID_ACL);
            switch (id.getScheme()) {
                case "world" -> {
                    if (!id.getId().equals("anyone")) throw new KeeperError(KeeperError.INVALID_ACL);
                    out.add(a);
                }
                case "auth" -> {
                    boolean any = false;
                    for (Id auth : authInfo) {
                        if (auth.getScheme().equals("digest")) { // ip is not an "authenticated" scheme
                            out.add(new ACL(a.getPerms(), new Id(auth.getScheme(), auth.getId())));
                            any = true;
                        }
                    }
                    if (!any) throw new KeeperError(KeeperError.INVALID_ACL);
                }
                case "digest" -> {
                    if (id.getId().split(":", -1).length != 2) throw new KeeperError(KeeperError.INVALID_ACL);
                    out.add(a);
                }
                case "ip" -> {
                    if (!validIp(id.getId())) throw new KeeperError(KeeperError.INVALID_ACL);
                    out.add(a);
                }
                default -> throw new KeeperError(KeeperError.INVALID_ACL);
            }
        }
        return List.copyOf(new ArrayList<>(out));
    }

    public static void check(List<ACL> acl, int perm, List<Id> authInfo) throws KeeperError {
        if (!allowed(acl, perm, authInfo)) throw new KeeperError(KeeperError.NO_AUTH);
    }

    public static boolean allowed(List<ACL> acl, int perm, List<Id> authInfo) {
        if (acl == null || acl.isEmpty()) return true;
        for (Id auth : authInfo) if (auth.getScheme().equals("super")) return true;
        for (ACL a : acl) {
            if ((a.getPerms() & perm) == 0) continue;
            Id id = a.getId();
            if (id.getScheme().equals("world") && id.getId().equals("anyone")) return true;
            for (Id auth : authInfo) {
                if (!auth.getScheme().equals(id.getScheme())) continue;
                if (id.getScheme().equals("ip") ? ipMatches(id.getId(), auth.getId()) : id.getId().equals(auth.getId())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean validIp(String spec) {
        String[] parts = spec.split("/", -1);
        if (parts.length > 2) return false;
        byte[] addr = ipv4OrV6(parts[0]);
        if (addr == null) return false;
        if (parts.length == 2) {
            try {
                int bits = Integer.parseInt(parts[1]);
                return bits >= 0 && bits <= addr.length * 8;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }

    static boolean ipMatches(String spec, String clientIp) {
        String[] parts = spec.split("/", -1);
        byte[] want = ipv4OrV6(parts[0]);
        byte[] have = ipv4OrV6(clientIp);
        if (want == null || have == null || want.length != have.length) return false;
        int bits = want.length * 8;
        if (parts.length == 2) {
            try { bits = Integer.parseInt(parts[1]); } catch (NumberFormatException e) { return false; }
        }
        for (int i = 0; i < want.length * 8 && i < bits; i++) {
            int mask = 0x80 >> (i % 8);
            if ((want[i / 8] & mask) != (have[i / 8] & mask)) return false;
        }
        return true;
    }

    /** Parses a literal address only (never resolves names). */
    private static byte[] ipv4OrV6(String s) {
        if (s.isEmpty()) return null;
        if (s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            byte[] b = new byte[4];
            String[] p = s.split("\\.");
            for (int i = 0; i < 4; i++) {
                int v = Integer.parseInt(p[i]);
                if (v > 255) return null;
                b[i] = (byte) v;
            }
            return b;
        }
        if (s.contains(":") && s.matches("[0-9a-fA-F:.]+")) {
            try { return InetAddress.getByName(s).getAddress(); } catch (Exception e) { return null; }
        }
        return null;
    }

    /** getACL without ADMIN: digest ids are masked as "user:x". */
    public static List<ACL> masked(List<ACL> acl) {
        var out = new ArrayList<ACL>(acl.size());
        for (ACL a : acl) {
            Id id = a.getId();
            if (id.getScheme().equals("digest")) {
                int colon = id.getId().indexOf(':');
                String user = colon < 0 ? id.getId() : id.getId().substring(0, colon);
                out.add(new ACL(a.getPerms(), new Id("digest", user + ":x")));
            } else {
                out.add(a);
            }
        }
        return out;
    }
}
