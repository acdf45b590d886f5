package io.faultline.chaos.toxiproxy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** host:port parsing and printing the way the real server shows addresses ({@code [::]:port} for wildcards). */
final class Addresses {
    private Addresses() {}

    record HostPort(String host, int port) {}

    /** Splits {@code host:port}, {@code [v6]:port} or {@code :port}; the message mirrors Go's net errors. */
    static HostPort split(String address) throws UnknownHostException {
        int colon = address.lastIndexOf(':');
        if (colon < 0) throw new UnknownHostException("address " + address + ": missing port in address");
        String host = address.substring(0, colon);
        String port = address.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        else if (host.contains(":")) throw new UnknownHostException("address " + address + ": too many colons in address");
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new UnknownHostException("lookup tcp/" + port + ": unknown port");
        }
        if (p < 0 || p > 65535) throw new UnknownHostException("address " + address + ": invalid port");
        return new HostPort(host, p);
    }

    static boolean isWildcard(String host) {
        return host.isEmpty() || host.equals("0.0.0.0") || host.equals("::");
    }

    /** Resolves a listen address without binding: wildcards become the any-local address. */
    static InetSocketAddress resolveListen(String listen) throws UnknownHostException {
        if (listen.isEmpty()) return new InetSocketAddress(0); // as the real server: any address, any port
        HostPort hp = split(listen);
        if (isWildcard(hp.host())) return new InetSocketAddress(hp.port());
        return new InetSocketAddress(InetAddress.getByName(hp.host()), hp.port());
    }

    static InetSocketAddress resolveUpstream(String upstream) throws UnknownHostException {
        HostPort hp = split(upstream);
        String host = hp.host().isEmpty() ? "localhost" : hp.host();
        return new InetSocketAddress(InetAddress.getByName(host), hp.port());
    }

    static String format(InetAddress address, int port) {
        if (address.isAnyLocalAddress()) return "[::]:" + port;
        if (address instanceof Inet6Address v6) {
            String text = v6.getHostAddress();
            int scope = text.indexOf('%');
            if (scope >= 0) text = text.substring(0, scope);
            return "[" + (text.equals("0:0:0:0:0:0:0:1") ? "::1" : text) + "]:" + port;
        }
        return address.getHostAddress() + ":" + port;
    }

    static String format(InetSocketAddress address) {
        return format(address.getAddress(), address.getPort());
    }
}
