package io.faultline.chaos.toxiproxy;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * One named proxy: its listener, its live connections and an immutable toxic chain per
 * direction. Control-plane changes are serialised by the server; the data plane only reads the
 * volatile chains, so it never holds up an API call.
 */
final class ProxyInstance {
    static final int DIAL_TIMEOUT_MS = 10_000;

    private final String name;
    private final SplittableRandom random;
    private final ToxicIds ids;
    private volatile String listen;
    private volatile String upstream;
    private volatile boolean enabled;
    private volatile List<Toxic> upstreamChain = List.of();
    private volatile List<Toxic> downstreamChain = List.of();
    private ServerSocket listener; // guarded by this
    private Thread acceptThread; // guarded by this
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();

    /** Source of toxic instance ids and stage epochs, shared by a server. */
    interface ToxicIds {
        long next();
    }

    ProxyInstance(String name, String listen, String upstream, SplittableRandom random, ToxicIds ids) {
        this.name = name;
        this.listen = listen;
        this.upstream = upstream;
        this.random = random;
        this.ids = ids;
    }

    String name() {
        return name;
    }

    String listen() {
        return listen;
    }

    String upstream() {
        return upstream;
    }

    boolean enabled() {
        return enabled;
    }

    List<Toxic> chain(Direction direction) {
        return direction == Direction.UPSTREAM ? upstreamChain : downstreamChain;
    }

    /** Upstream toxics first, then downstream, each in insertion order (as the real server lists them). */
    List<Toxic> toxics() {
        List<Toxic> all = new ArrayList<>(upstreamChain);
        all.addAll(downstreamChain);
        return all;
    }

    int connectionCount() {
        return connections.size();
    }

    /** The listen address resolved to the string the real server would store, without binding. */
    static String resolvedListen(String listen) {
        try {
            return Addresses.format(Addresses.resolveListen(listen));
        } catch (UnknownHostException e) {
            throw new ApiException(500, "listen tcp: " + e.getMessage());
        }
    }

    /** Binds the stored listen address and starts accepting; the stored listen becomes the bound address. */
    synchronized void start() {
        if (enabled) return;
        InetSocketAddress address;
        try {
            address = Addresses.resolveListen(listen);
        } catch (UnknownHostException e) {
            throw new ApiException(500, "listen tcp: " + e.getMessage());
        }
        ServerSocket socket;
        try {
            socket = new ServerSocket();
            socket.setReuseAddress(true);
            try {
                socket.bind(address, 1024);
            } catch (IOException e) {
                socket.close();
                throw e;
            }
        } catch (BindException e) {
            throw new ApiException(500, "listen tcp " + Addresses.format(address) + ": bind: " + bindReason(e));
        } catch (IOException e) {
            throw new ApiException(500, "listen tcp " + Addresses.format(address) + ": " + e.getMessage());
        }
        listen = Addresses.format(address.getAddress(), socket.getLocalPort());
        listener = socket;
        enabled = true;
        acceptThread = Thread.ofVirtual().name("toxiproxy-" + name + "-accept").start(() -> acceptLoop(socket));
    }

    private static String bindReason(BindException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase();
        if (m.contains("in use")) return "address already in use";
        if (m.contains("assign")) return "cannot assign requested address";
        if (m.contains("permission")) return "permission denied";
        return e.getMessage();
    }

    /** Closes the listener (new connects are refused) and every live connection. */
    void stop() {
        Thread accepting = null;
        synchronized (this) {
            enabled = false;
            if (listener != null) {
                try {
                    listener.close();
                } catch (IOException ignored) {
                    // already closed
                }
                listener = null;
                accepting = acceptThread;
                acceptThread = null;
            }
        }
        // the port is released only once the blocked accept has returned; wait so a rebind works at once
        if (accepting != null) {
            try {
                accepting.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeAllConnections();
    }

    void closeAllConnections() {
        for (Connection c : List.copyOf(connections)) c.close();
    }

    void unregister(Connection connection) {
        connections.remove(connection);
    }

    void setAddresses(String newListen, String newUpstream) {
        this.listen = newListen;
        this.upstream = newUpstream;
    }

    private void acceptLoop(ServerSocket socket) {
        while (true) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                return; // listener closed: disabled or deleted
            }
            // dial off the accept loop, with a timeout, so a slow upstream never delays other accepts
            Thread.ofVirtual().name("toxiproxy-" + name + "-dial").start(() -> dial(socket, client));
        }
    }

    private void dial(ServerSocket acceptedBy, Socket client) {
        Socket up = new Socket();
        try {
            up.connect(Addresses.resolveUpstream(upstream), DIAL_TIMEOUT_MS);
        } catch (IOException e) {
            // as the real server: the client sees connect OK, then EOF
            Connection.closeQuietly(up);
            Connection.closeQuietly(client);
            return;
        }
        Connection connection;
        synchronized (this) {
            if (listener != acceptedBy) { // disabled or restarted while dialling
                Connection.closeQuietly(up);
                Connection.closeQuietly(client);
                return;
            }
            boolean abortive = hasResetPeer();
            SplittableRandom connectionRandom;
            synchronized (random) {
                connectionRandom = random.split();
            }
            try {
                connection = new Connection(this, client, up, connectionRandom, abortive);
            } catch (IOException e) {
                Connection.closeQuietly(up);
                Connection.closeQuietly(client);
                return;
            }
            connections.add(connection);
        }
        connection.start();
    }

    private boolean hasResetPeer() {
        Predicate<Toxic> isReset = t -> t.type() == ToxicType.RESET_PEER;
        return upstreamChain.stream().anyMatch(isReset) || downstreamChain.stream().anyMatch(isReset);
    }

    Toxic findToxic(String toxicName) {
        for (Toxic t : toxics()) {
            if (t.name().equals(toxicName)) return t;
        }
        return null;
    }

    /** Appends a toxic; the previously last stage of that direction restarts (a new toxicity draw). */
    void addToxic(Toxic toxic) {
        List<Toxic> chain = new ArrayList<>(chain(toxic.direction()));
        if (!chain.isEmpty()) {
            int last = chain.size() - 1;
            chain.set(last, chain.get(last).withEpoch(ids.next()));
        }
        chain.add(toxic);
        setChain(toxic.direction(), chain);
    }

    Toxic updateToxic(String toxicName, Map<String, Long> attributes, Float toxicity) {
        Toxic current = findToxic(toxicName);
        Toxic updated = current.updated(ids.next(), attributes, toxicity);
        replaceInChain(current.direction(), t -> t.instanceId() == current.instanceId() ? updated : t);
        return updated;
    }

    /** Removes a toxic; its predecessor restarts. Removing a timeout toxic closes the connections it touched. */
    void removeToxic(String toxicName) {
        Toxic current = findToxic(toxicName);
        List<Toxic> chain = new ArrayList<>(chain(current.direction()));
        int index = -1;
        for (int i = 0; i < chain.size(); i++) {
            if (chain.get(i).instanceId() == current.instanceId()) index = i;
        }
        chain.remove(index);
        if (index > 0) chain.set(index - 1, chain.get(index - 1).withEpoch(ids.next()));
        setChain(current.direction(), chain);
        if (current.type() == ToxicType.TIMEOUT) closeAllConnections();
    }

    void removeAllToxics() {
        boolean hadTimeout = toxics().stream().anyMatch(t -> t.type() == ToxicType.TIMEOUT);
        upstreamChain = List.of();
        downstreamChain = List.of();
        notifyConnections();
        if (hadTimeout) closeAllConnections();
    }

    private void replaceInChain(Direction direction, UnaryOperator<Toxic> f) {
        setChain(direction, chain(direction).stream().map(f).toList());
    }

    private void setChain(Direction direction, List<Toxic> chain) {
        if (direction == Direction.UPSTREAM) upstreamChain = List.copyOf(chain);
        else downstreamChain = List.copyOf(chain);
        notifyConnections();
    }

    private void notifyConnections() {
        for (Connection c : connections) c.chainChanged();
    }
}
