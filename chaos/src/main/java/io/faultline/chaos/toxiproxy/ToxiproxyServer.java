package io.faultline.chaos.toxiproxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An embeddable server that speaks the Toxiproxy HTTP API (the real server's paths, status codes
 * and JSON shapes, as used by toxiproxy-java and Testcontainers) and proxies TCP through toxics.
 *
 * <p>Differences from the real server, on purpose: API calls never wait for a stalled connection
 * (no "wedge"); a negative bandwidth rate, a slicer {@code average_size <= 0} or a negative
 * {@code size_variation} is rejected with 400 instead of crashing the server; upstream dials run
 * off the accept loop with a timeout; toxicity and jitter draws are reproducible from a seed.
 */
public final class ToxiproxyServer implements AutoCloseable {
    /** The real server version whose API this server follows; GET /version reports it. */
    public static final String COMPATIBLE_VERSION = "2.12.0";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer http;
    private final ExecutorService executor;
    private final ReentrantLock api = new ReentrantLock();
    private final TreeMap<String, ProxyInstance> proxies = new TreeMap<>();
    private final SplittableRandom random;
    private final long seed;
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean closed;

    private ToxiproxyServer(HttpServer http, ExecutorService executor, long seed) {
        this.http = http;
        this.executor = executor;
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    /** Starts a server with a random seed; port 0 picks an ephemeral port. */
    public static ToxiproxyServer start(String host, int port) throws IOException {
        return start(host, port, ThreadLocalRandom.current().nextLong());
    }

    /** Starts a server whose toxicity, jitter and slicer draws derive from {@code seed}. */
    public static ToxiproxyServer start(String host, int port, long seed) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 128);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        ToxiproxyServer server = new ToxiproxyServer(http, executor, seed);
        http.setExecutor(executor);
        http.createContext("/", server::handle);
        http.start();
        return server;
    }

    public String apiHost() {
        return http.getAddress().getAddress().getHostAddress();
    }

    public int apiPort() {
        return http.getAddress().getPort();
    }

    /** {@code http://host:port}, handy for logs. */
    public String apiUrl() {
        return "http://" + Addresses.format(http.getAddress().getAddress(), apiPort()).replace("[::]", "localhost");
    }

    public long seed() {
        return seed;
    }

    /** Stops the API, closes every proxy's listener and every live connection. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        http.stop(0);
        api.lock();
        try {
            proxies.values().forEach(ProxyInstance::stop);
            proxies.clear();
        } finally {
            api.unlock();
        }
        executor.shutdownNow();
    }

    // ---------------------------------------------------------------- HTTP plumbing

    private record Response(int status, String contentType, byte[] body) {
        static Response json(int status, JsonNode node) {
            return new Response(status, "application/json", (node.toString()).getBytes(StandardCharsets.UTF_8));
        }

        static Response empty(int status) {
            return new Response(status, null, new byte[0]);
        }

        static Response text(int status, String text) {
            return new Response(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static final class MethodNotAllowed extends RuntimeException {
        MethodNotAllowed() {
            super(null, null, false, false);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        Response response;
        try {
            String agent = exchange.getRequestHeaders().getFirst("User-Agent");
            if (agent != null && agent.startsWith("Mozilla/")) {
                response = Response.text(403, "User agent not allowed\n");
            } else {
                String body = readBody(exchange.getRequestBody());
                api.lock();
                try {
                    response = route(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body);
                } finally {
                    api.unlock();
                }
            }
        } catch (ApiException e) {
            response = error(e.status, e.getMessage());
        } catch (MethodNotAllowed e) {
            response = Response.empty(405);
        } catch (RuntimeException e) {
            response = error(500, String.valueOf(e.getMessage()));
        }
        send(exchange, response);
    }

    /** API bodies are small JSON documents; anything bigger is refused rather than buffered. */
    static final int MAX_BODY_BYTES = 1 << 20;

    private static String readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            in.transferTo(OutputStream.nullOutputStream());
            throw ApiException.badBody("body larger than " + MAX_BODY_BYTES + " bytes");
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
        try (exchange) {
            if (response.contentType() != null) {
                exchange.getResponseHeaders().set("Content-Type", response.contentType());
            }
            if (response.status() == 204 || response.body().length == 0) {
                exchange.sendResponseHeaders(response.status(), -1);
            } else {
                exchange.sendResponseHeaders(response.status(), response.body().length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body());
                }
            }
        }
    }

    private static Response error(int status, String message) {
        ObjectNode node = JSON.createObjectNode().put("error", message).put("status", status);
        byte[] body = (node.toString() + "\n").getBytes(StandardCharsets.UTF_8);
        return new Response(status, "text/plain; charset=utf-8", body);
    }

    private static final Response NOT_FOUND = Response.text(404, "404 page not found\n");

    private Response route(String method, String path, String body) {
        String[] s = path.split("/", -1);
        // s[0] is "" (the path starts with '/')
        if (s.length < 2) return NOT_FOUND;
        for (int i = 1; i < s.length; i++) {
            if (s[i].isEmpty()) return NOT_FOUND;
        }
        switch (s.length) {
            case 2 -> {
                switch (s[1]) {
                    case "version" -> { return only(method, "GET", this::version); }
                    case "reset" -> { return only(method, "POST", this::reset); }
                    case "populate" -> { return only(method, "POST", () -> populate(body)); }
                    case "proxies" -> {
                        return switch (method) {
                            case "GET" -> listProxies();
                            case "POST" -> createProxy(body);
                            default -> throw new MethodNotAllowed();
                        };
                    }
                    default -> { return NOT_FOUND; }
                }
            }
            case 3 -> {
                if (!s[1].equals("proxies")) return NOT_FOUND;
                String name = s[2];
                return switch (method) {
                    case "GET" -> Response.json(200, proxyJson(proxy(name)));
                    case "POST", "PATCH" -> updateProxy(name, body);
                    case "DELETE" -> deleteProxy(name);
                    default -> throw new MethodNotAllowed();
                };
            }
            case 4 -> {
                if (!s[1].equals("proxies") || !s[3].equals("toxics")) return NOT_FOUND;
                String name = s[2];
                return switch (method) {
                    case "GET" -> {
                        ArrayNode list = JSON.createArrayNode();
                        proxy(name).toxics().forEach(t -> list.add(toxicJson(t)));
                        yield Response.json(200, list);
                    }
                    case "POST" -> createToxic(name, body);
                    default -> throw new MethodNotAllowed();
                };
            }
            case 5 -> {
                if (!s[1].equals("proxies") || !s[3].equals("toxics")) return NOT_FOUND;
                String name = s[2];
                String toxic = s[4];
                return switch (method) {
                    case "GET" -> Response.json(200, toxicJson(toxic(proxy(name), toxic)));
                    case "POST", "PATCH" -> updateToxic(name, toxic, body);
                    case "DELETE" -> {
                        ProxyInstance p = proxy(name);
                        toxic(p, toxic);
                        p.removeToxic(toxic);
                        yield Response.empty(204);
                    }
                    default -> throw new MethodNotAllowed();
                };
            }
            default -> { return NOT_FOUND; }
        }
    }

    private static Response only(String method, String allowed, java.util.function.Supplier<Response> handler) {
        if (!method.equals(allowed)) throw new MethodNotAllowed();
        return handler.get();
    }

    // ---------------------------------------------------------------- endpoints

    private Response version() {
        ObjectNode node = JSON.createObjectNode().put("version", COMPATIBLE_VERSION);
        return new Response(200, "application/json;charset=utf-8",
                (node.toString() + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private Response listProxies() {
        ObjectNode node = JSON.createObjectNode();
        // TreeMap: keys sorted bytewise for ASCII names, as Go's map encoding emits them
        proxies.forEach((name, p) -> node.set(name, proxyJson(p)));
        return Response.json(200, node);
    }

    private record ProxyInput(String name, String listen, String upstream, Boolean enabled) {}

    private static ProxyInput proxyInput(JsonNode node) {
        if (!node.isObject()) throw ApiException.badBody(unmarshal(node, "Go value", "proxy.Proxy"));
        return new ProxyInput(
                string(node, "name", "Proxy.name"),
                string(node, "listen", "Proxy.listen"),
                string(node, "upstream", "Proxy.upstream"),
                bool(node, "enabled", "Proxy.enabled"));
    }

    private Response createProxy(String body) {
        ProxyInput in = proxyInput(parse(body));
        if (in.name() == null || in.name().isEmpty()) throw new ApiException(400, "missing required field: name");
        if (in.upstream() == null || in.upstream().isEmpty()) {
            throw new ApiException(400, "missing required field: upstream");
        }
        if (proxies.containsKey(in.name())) throw new ApiException(409, "proxy already exists");
        ProxyInstance p = newProxy(in);
        if (in.enabled() == null || in.enabled()) p.start(); // on failure the proxy is not created
        proxies.put(p.name(), p);
        return Response.json(201, proxyJson(p));
    }

    private ProxyInstance newProxy(ProxyInput in) {
        SplittableRandom proxyRandom;
        synchronized (random) {
            proxyRandom = random.split();
        }
        return new ProxyInstance(in.name(), in.listen() == null ? "" : in.listen(), in.upstream(), proxyRandom,
                ids::incrementAndGet);
    }

    private Response populate(String body) {
        JsonNode node = parse(body);
        if (!node.isArray()) throw ApiException.badBody(unmarshal(node, "Go value", "[]proxy.Proxy"));
        List<ProxyInput> inputs = new ArrayList<>();
        for (JsonNode entry : node) inputs.add(proxyInput(entry));
        for (int i = 0; i < inputs.size(); i++) {
            ProxyInput in = inputs.get(i);
            if (in.name() == null || in.name().isEmpty()) {
                return populateError(400, "missing required field: name at proxy " + (i + 1), null);
            }
            if (in.upstream() == null || in.upstream().isEmpty()) {
                return populateError(400, "missing required field: upstream at proxy " + (i + 1), null);
            }
        }
        ArrayNode done = JSON.createArrayNode();
        for (ProxyInput in : inputs) {
            try {
                ProxyInstance existing = proxies.get(in.name());
                String listen = in.listen() == null ? "" : in.listen();
                if (existing != null && existing.upstream().equals(in.upstream())
                        && ProxyInstance.resolvedListen(listen).equals(ProxyInstance.resolvedListen(existing.listen()))) {
                    done.add(proxyJson(existing)); // unchanged: keep its toxics, connections, state
                    continue;
                }
                if (existing != null) {
                    existing.stop();
                    proxies.remove(in.name());
                }
                ProxyInstance p = newProxy(in);
                if (in.enabled() == null || in.enabled()) p.start();
                proxies.put(p.name(), p);
                done.add(proxyJson(p));
            } catch (ApiException e) {
                return populateError(e.status, e.getMessage(), done);
            }
        }
        ObjectNode result = JSON.createObjectNode();
        if (done.isEmpty()) result.putNull("proxies");
        else result.set("proxies", done);
        return Response.json(201, result);
    }

    private static Response populateError(int status, String message, ArrayNode done) {
        ObjectNode node = JSON.createObjectNode().put("error", message).put("status", status);
        if (done == null || done.isEmpty()) node.putNull("proxies");
        else node.set("proxies", done);
        return Response.json(status, node);
    }

    private Response updateProxy(String name, String body) {
        ProxyInstance p = proxy(name);
        ProxyInput in = proxyInput(parse(body));
        String listen = in.listen() != null ? in.listen() : p.listen();
        String upstream = in.upstream() != null ? in.upstream() : p.upstream();
        boolean enabled = in.enabled() != null ? in.enabled() : p.enabled();
        boolean differs = !upstream.equals(p.upstream())
                || !ProxyInstance.resolvedListen(listen).equals(ProxyInstance.resolvedListen(p.listen()));
        if (differs) {
            p.stop(); // a changed address restarts the proxy: live connections are dropped
            p.setAddresses(listen, upstream);
        }
        if (enabled && !p.enabled()) p.start();
        else if (!enabled && p.enabled()) p.stop();
        return Response.json(200, proxyJson(p));
    }

    private Response deleteProxy(String name) {
        ProxyInstance p = proxy(name);
        p.stop();
        proxies.remove(name);
        return Response.empty(204);
    }

    private Response reset() {
        for (ProxyInstance p : proxies.values()) {
            if (!p.enabled()) p.start();
            p.removeAllToxics();
        }
        return Response.empty(204);
    }

    private Response createToxic(String proxyName, String body) {
        ProxyInstance p = proxy(proxyName);
        JsonNode node = parse(body);
        if (!node.isObject()) throw ApiException.badBody(unmarshal(node, "Go value", "toxics.ToxicWrapper"));
        String name = string(node, "name", "ToxicWrapper.name");
        String typeName = string(node, "type", "ToxicWrapper.type");
        String stream = string(node, "stream", "ToxicWrapper.stream");
        Float toxicity = float32(node, "toxicity", "ToxicWrapper.toxicity");
        if (stream == null) stream = "downstream";
        Direction direction = Direction.parse(stream)
                .orElseThrow(() -> new ApiException(400, "stream was invalid, can be either upstream or downstream"));
        String type = typeName == null ? "" : typeName;
        if (name == null || name.isEmpty()) name = type + "_" + stream;
        ToxicType toxicType = ToxicType.fromWire(type).orElseThrow(() -> new ApiException(400, "invalid toxic type"));
        if (p.findToxic(name) != null) throw new ApiException(409, "toxic already exists");
        Map<String, Long> attributes = new LinkedHashMap<>();
        for (String a : toxicType.attributes()) attributes.put(a, 0L);
        attributes.putAll(attributes(node.get("attributes"), toxicType));
        validate(toxicType, attributes);
        long id = ids.incrementAndGet();
        Toxic toxic = new Toxic(id, ids.incrementAndGet(), name, toxicType, stream, direction,
                toxicity == null ? 1f : toxicity, attributes);
        p.addToxic(toxic);
        return Response.json(200, toxicJson(toxic));
    }

    private Response updateToxic(String proxyName, String toxicName, String body) {
        ProxyInstance p = proxy(proxyName);
        Toxic current = toxic(p, toxicName);
        JsonNode node = parse(body);
        if (!node.isObject()) throw ApiException.badBody(unmarshal(node, "Go value", "toxics.ToxicWrapper"));
        Map<String, Long> attributes = attributes(node.get("attributes"), current.type());
        Float toxicity = float32(node, "toxicity", "ToxicWrapper.toxicity");
        Map<String, Long> merged = new LinkedHashMap<>(current.attributes());
        merged.putAll(attributes);
        validate(current.type(), merged);
        return Response.json(200, toxicJson(p.updateToxic(toxicName, attributes, toxicity)));
    }

    /** The values that would crash or hang the real server are refused. */
    private static void validate(ToxicType type, Map<String, Long> attributes) {
        switch (type) {
            case BANDWIDTH -> {
                if (attributes.get("rate") < 0) {
                    throw new ApiException(400, "invalid attribute: bandwidth rate must be >= 0, got " + attributes.get("rate"));
                }
            }
            case SLICER -> {
                if (attributes.get("average_size") <= 0) {
                    throw new ApiException(400, "invalid attribute: slicer average_size must be > 0, got "
                            + attributes.get("average_size"));
                }
                if (attributes.get("size_variation") < 0) {
                    throw new ApiException(400, "invalid attribute: slicer size_variation must be >= 0, got "
                            + attributes.get("size_variation"));
                }
            }
            default -> { }
        }
    }

    private ProxyInstance proxy(String name) {
        ProxyInstance p = proxies.get(name);
        if (p == null) throw ApiException.proxyNotFound();
        return p;
    }

    private static Toxic toxic(ProxyInstance p, String name) {
        Toxic t = p.findToxic(name);
        if (t == null) throw ApiException.toxicNotFound();
        return t;
    }

    // ---------------------------------------------------------------- JSON in and out

    private static JsonNode parse(String body) {
        if (body.isBlank()) throw ApiException.badBody("EOF");
        try {
            JsonNode node = JSON.readTree(body); // only the first value; trailing bytes are ignored
            if (node == null || node.isMissingNode()) throw ApiException.badBody("EOF");
            return node;
        } catch (JsonProcessingException e) {
            throw ApiException.badBody(e.getOriginalMessage());
        }
    }

    private static String jsonKind(JsonNode v) {
        if (v.isTextual()) return "string";
        if (v.isNumber()) return "number " + v.asText();
        if (v.isBoolean()) return "bool";
        if (v.isArray()) return "array";
        return "object";
    }

    private static String unmarshal(JsonNode value, String field, String goType) {
        String where = field.equals("Go value") ? "Go value" : "Go struct field " + field;
        return "json: cannot unmarshal " + jsonKind(value) + " into " + where + " of type " + goType;
    }

    private static String string(JsonNode node, String key, String field) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw ApiException.badBody(unmarshal(v, field, "string"));
        return v.asText();
    }

    private static Boolean bool(JsonNode node, String key, String field) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) return null;
        if (!v.isBoolean()) throw ApiException.badBody(unmarshal(v, field, "bool"));
        return v.asBoolean();
    }

    private static Float float32(JsonNode node, String key, String field) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) return null;
        if (!v.isNumber()) throw ApiException.badBody(unmarshal(v, field, "float32"));
        return v.floatValue();
    }

    /** Only the attributes present in the body; integer-typed like the real server's structs. */
    private static Map<String, Long> attributes(JsonNode node, ToxicType type) {
        Map<String, Long> result = new LinkedHashMap<>();
        if (node == null || node.isNull()) return result;
        if (!node.isObject()) {
            throw ApiException.badBody(unmarshal(node, type.goStruct() + ".attributes", "toxics." + type.goStruct()));
        }
        for (String a : type.attributes()) {
            JsonNode v = node.get(a);
            if (v == null || v.isNull()) continue;
            String goType = type == ToxicType.SLICER ? "int" : "int64";
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                throw ApiException.badBody(unmarshal(v, type.goStruct() + ".attributes." + a, goType));
            }
            result.put(a, v.longValue());
        }
        return result;
    }

    private static ObjectNode proxyJson(ProxyInstance p) {
        ObjectNode node = JSON.createObjectNode();
        node.put("name", p.name());
        node.put("listen", p.listen());
        node.put("upstream", p.upstream());
        node.put("enabled", p.enabled());
        ArrayNode toxics = node.putArray("toxics");
        p.toxics().forEach(t -> toxics.add(toxicJson(t)));
        return node;
    }

    private static ObjectNode toxicJson(Toxic t) {
        ObjectNode node = JSON.createObjectNode();
        ObjectNode attributes = node.putObject("attributes");
        t.attributes().forEach(attributes::put);
        node.put("name", t.name());
        node.put("type", t.type().wireName());
        node.put("stream", t.stream());
        float toxicity = t.toxicity();
        if (!Float.isInfinite(toxicity) && toxicity == Math.rint(toxicity) && Math.abs(toxicity) < 1e15) {
            node.put("toxicity", (long) toxicity); // Go prints 1, not 1.0
        } else {
            node.put("toxicity", toxicity);
        }
        return node;
    }

    /** For tests and diagnostics: live connections of a proxy (0 if it does not exist). */
    public int connectionCount(String proxyName) {
        api.lock();
        try {
            ProxyInstance p = proxies.get(proxyName);
            return p == null ? 0 : p.connectionCount();
        } finally {
            api.unlock();
        }
    }
}
