package io.faultline.chaos.cluster;

import java.net.InetSocketAddress;

/**
 * Where the nodes and their proxies listen. Node {@code k} (1-based) binds
 * {@code nodeNetwork.(firstHost+k-1)}; the proxies in front of it and the proxies for the links it
 * dials bind {@code proxyNetwork.(firstHost+k-1)}. Distinct loopback addresses act as distinct
 * hosts, so every node can use the same port numbers.
 *
 * @param nodeNetwork first three octets of the node addresses, e.g. {@code 127.0.3}
 * @param proxyNetwork first three octets of the proxy addresses, e.g. {@code 127.0.6}
 * @param firstHost last octet of node 1 (and of its proxy host)
 * @param clientPort client port of every node, and of every client proxy
 * @param quorumPort leader-learner port of every node
 * @param electionPort leader-election port of every node
 * @param peerProxyPortBase the proxy for link i→j listens on proxyHost(i) at base+j (quorum) and
 *     base+100+j (election)
 */
public record AddressPlan(String nodeNetwork, String proxyNetwork, int firstHost, int clientPort,
                          int quorumPort, int electionPort, int peerProxyPortBase) {

    public AddressPlan {
        checkLoopbackNetwork(nodeNetwork);
        checkLoopbackNetwork(proxyNetwork);
        if (nodeNetwork.equals(proxyNetwork)) throw new IllegalArgumentException("nodes and proxies need distinct networks");
        if (firstHost < 1 || firstHost > 200) throw new IllegalArgumentException("firstHost out of 1..200: " + firstHost);
        for (int port : new int[] {clientPort, quorumPort, electionPort, peerProxyPortBase, peerProxyPortBase + 199}) {
            if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** Nodes on {@code nodeNetwork.1..}, proxies on {@code proxyNetwork.1..}, ZooKeeper's usual ports. */
    public static AddressPlan of(String nodeNetwork, String proxyNetwork) {
        return new AddressPlan(nodeNetwork, proxyNetwork, 1, 2181, 2888, 3888, 12000);
    }

    public AddressPlan withFirstHost(int host) {
        return new AddressPlan(nodeNetwork, proxyNetwork, host, clientPort, quorumPort, electionPort, peerProxyPortBase);
    }

    public String nodeHost(int node) {
        return nodeNetwork + "." + (firstHost + node - 1);
    }

    public String proxyHost(int node) {
        return proxyNetwork + "." + (firstHost + node - 1);
    }

    public InetSocketAddress clientAddress(int node) {
        return new InetSocketAddress(nodeHost(node), clientPort);
    }

    public InetSocketAddress quorumAddress(int node) {
        return new InetSocketAddress(nodeHost(node), quorumPort);
    }

    public InetSocketAddress electionAddress(int node) {
        return new InetSocketAddress(nodeHost(node), electionPort);
    }

    /** Where clients reach node {@code node}: its client proxy. */
    public InetSocketAddress proxiedClientAddress(int node) {
        return new InetSocketAddress(proxyHost(node), clientPort);
    }

    /** Where node {@code from} reaches node {@code to}'s quorum port. */
    public InetSocketAddress proxiedQuorumAddress(int from, int to) {
        return new InetSocketAddress(proxyHost(from), peerProxyPortBase + to);
    }

    /** Where node {@code from} reaches node {@code to}'s election port. */
    public InetSocketAddress proxiedElectionAddress(int from, int to) {
        return new InetSocketAddress(proxyHost(from), peerProxyPortBase + 100 + to);
    }

    private static void checkLoopbackNetwork(String network) {
        String[] octets = network.split("\\.");
        if (octets.length != 3 || !octets[0].equals("127")) {
            throw new IllegalArgumentException("expected three octets of a loopback network like 127.0.3, got " + network);
        }
        for (String o : octets) {
            int v = Integer.parseInt(o);
            if (v < 0 || v > 255) throw new IllegalArgumentException("bad octet in " + network);
        }
    }
}
