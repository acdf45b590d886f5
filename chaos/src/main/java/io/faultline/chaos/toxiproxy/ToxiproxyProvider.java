package io.faultline.chaos.toxiproxy;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.toxiproxy.ToxiproxyContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Where the harness gets its Toxiproxy. Whatever the provider, the harness drives it only through
 * the toxiproxy-java {@link ToxiproxyClient} of the returned {@link Handle}.
 *
 * <ul>
 *   <li>{@link Embedded} (the default): faultline's {@link ToxiproxyServer} in this JVM.</li>
 *   <li>{@link External}: a Toxiproxy someone else runs (e.g. the real Go server); never stopped by us.</li>
 *   <li>{@link Container}: the real Toxiproxy via Testcontainers' {@code ToxiproxyContainer}, for
 *       machines with a registry and a normal Docker engine (not this project's CI machines).</li>
 * </ul>
 */
public sealed interface ToxiproxyProvider permits ToxiproxyProvider.Embedded, ToxiproxyProvider.External,
        ToxiproxyProvider.Container {

    /** Starts (or connects to) a Toxiproxy; close the handle to stop what was started. */
    Handle start() throws IOException;

    static ToxiproxyProvider defaultProvider() {
        return new Embedded();
    }

    /** The embedded server on {@code apiHost:apiPort} (port 0 = ephemeral); {@code seed} null = random. */
    record Embedded(String apiHost, int apiPort, Long seed) implements ToxiproxyProvider {
        public Embedded {
            Objects.requireNonNull(apiHost, "apiHost");
        }

        public Embedded() {
            this("127.0.0.1", 0, null);
        }

        public Embedded(String apiHost) {
            this(apiHost, 0, null);
        }

        @Override
        public Handle start() throws IOException {
            ToxiproxyServer server = seed == null
                    ? ToxiproxyServer.start(apiHost, apiPort)
                    : ToxiproxyServer.start(apiHost, apiPort, seed);
            ToxiproxyClient client = new ToxiproxyClient(server.apiHost(), server.apiPort());
            return new Handle(client, server.apiHost(), server.apiPort(), server, server::close,
                    slot -> null, null);
        }
    }

    /** A Toxiproxy already running at {@code host:port}; checked with GET /version, never stopped. */
    record External(String host, int port) implements ToxiproxyProvider {
        public External {
            Objects.requireNonNull(host, "host");
            if (port <= 0 || port > 65535) throw new IllegalArgumentException("port must be in 1..65535, got " + port);
        }

        @Override
        public Handle start() throws IOException {
            ToxiproxyClient client = new ToxiproxyClient(host, port);
            try {
                client.version();
            } catch (IOException e) {
                throw new IOException("no Toxiproxy answers at http://" + host + ":" + port + "/version: " + e, e);
            }
            return new Handle(client, host, port, null, () -> { }, slot -> null, null);
        }
    }

    /**
     * The real Toxiproxy in a container (Testcontainers' {@link ToxiproxyContainer}). Its proxies must
     * listen on one of the 32 mapped ports: use {@link Handle#listenAddress(String, int)} with slots 0..31.
     */
    record Container(String image) implements ToxiproxyProvider {
        public static final String DEFAULT_IMAGE = "ghcr.io/shopify/toxiproxy:2.12.0";
        static final int FIRST_PROXY_PORT = 8666;
        static final int PROXY_PORTS = 32;

        public Container {
            Objects.requireNonNull(image, "image");
        }

        public Container() {
            this(DEFAULT_IMAGE);
        }

        @Override
        public Handle start() {
            DockerImageName name = DockerImageName.parse(image)
                    .asCompatibleSubstituteFor("ghcr.io/shopify/toxiproxy");
            ToxiproxyContainer container = new ToxiproxyContainer(name);
            try {
                container.start();
            } catch (RuntimeException e) {
                container.stop();
                throw new IllegalStateException(explainStartFailure(e), e);
            }
            ToxiproxyClient client = new ToxiproxyClient(container.getHost(), container.getControlPort());
            return new Handle(client, container.getHost(), container.getControlPort(), null, container::stop,
                    slot -> "0.0.0.0:" + (FIRST_PROXY_PORT + checkSlot(slot)),
                    proxy -> new InetSocketAddress(container.getHost(),
                            container.getMappedPort(listenPort(proxy.getListen()))));
        }

        private String explainStartFailure(RuntimeException e) {
            String prefix = "could not start the real Toxiproxy in a container from image '" + image + "': ";
            String advice = ". Use ToxiproxyProvider.Embedded (the default) or External(host, port) instead.";
            Boolean present = imagePresentLocally();
            if (Boolean.FALSE.equals(present)) {
                return prefix + "the image is not available locally and could not be pulled "
                        + "(no registry reachable, or pulling disabled by the pull policy)" + advice;
            }
            return prefix + e.getMessage() + advice;
        }

        private Boolean imagePresentLocally() {
            try {
                DockerClientFactory.instance().client().inspectImageCmd(image).exec();
                return true;
            } catch (com.github.dockerjava.api.exception.NotFoundException e) {
                return false;
            } catch (RuntimeException e) {
                return null; // no engine at all: the original error says so
            }
        }

        private static int checkSlot(int slot) {
            if (slot < 0 || slot >= PROXY_PORTS) {
                throw new IllegalArgumentException("container proxy slot must be in 0.." + (PROXY_PORTS - 1) + ", got " + slot);
            }
            return slot;
        }
    }

    /** Port of a proxy's listen string such as {@code 127.0.0.1:4000} or {@code [::]:8666}. */
    static int listenPort(String listen) {
        return Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
    }

    /** A running Toxiproxy: the client to drive it, and how its proxies are addressed. */
    final class Handle implements AutoCloseable {
        private final ToxiproxyClient client;
        private final String apiHost;
        private final int apiPort;
        private final ToxiproxyServer embedded;
        private final AutoCloseable closer;
        private final IntFunction<String> containerListen;
        private final Function<Proxy, InetSocketAddress> containerAddress;
        private boolean closed;

        Handle(ToxiproxyClient client, String apiHost, int apiPort, ToxiproxyServer embedded, AutoCloseable closer,
               IntFunction<String> containerListen, Function<Proxy, InetSocketAddress> containerAddress) {
            this.client = client;
            this.apiHost = apiHost;
            this.apiPort = apiPort;
            this.embedded = embedded;
            this.closer = closer;
            this.containerListen = containerListen;
            this.containerAddress = containerAddress;
        }

        public ToxiproxyClient client() {
            return client;
        }

        public String apiHost() {
            return apiHost;
        }

        public int apiPort() {
            return apiPort;
        }

        /** The embedded server, when this handle runs one (for its seed and diagnostics). */
        public Optional<ToxiproxyServer> embeddedServer() {
            return Optional.ofNullable(embedded);
        }

        /**
         * The {@code listen} to pass to {@code createProxy}: {@code bindHost:0} (an ephemeral port on
         * the address you choose) for embedded and external servers; {@code 0.0.0.0:<8666+slot>} for a
         * container, whose proxies are reachable only on its mapped ports.
         */
        public String listenAddress(String bindHost, int slot) {
            String container = containerListen.apply(slot);
            return container != null ? container : bindHost + ":0";
        }

        /** Where clients of {@code proxy} connect. */
        public InetSocketAddress addressOf(Proxy proxy) {
            if (containerAddress != null) return containerAddress.apply(proxy);
            String listen = proxy.getListen();
            int colon = listen.lastIndexOf(':');
            String host = listen.substring(0, colon);
            if (host.equals("[::]") || host.isEmpty()) host = apiHost;
            if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
            return new InetSocketAddress(host, Integer.parseInt(listen.substring(colon + 1)));
        }

        /** Stops what the provider started (nothing for External). Idempotent. */
        @Override
        public synchronized void close() {
            if (closed) return;
            closed = true;
            try {
                closer.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing Toxiproxy at " + apiHost + ":" + apiPort + " failed", e);
            }
        }
    }
}
