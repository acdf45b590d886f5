package io.faultline.chaos.toxiproxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.toxic.Bandwidth;
import eu.rekawek.toxiproxy.model.toxic.Latency;
import eu.rekawek.toxiproxy.model.toxic.LimitData;
import eu.rekawek.toxiproxy.model.toxic.ResetPeer;
import eu.rekawek.toxiproxy.model.toxic.Slicer;
import eu.rekawek.toxiproxy.model.toxic.SlowClose;
import eu.rekawek.toxiproxy.model.toxic.Timeout;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every HTTP endpoint of the embedded server, driven through toxiproxy-java where the client
 * has a call for it, and through raw HTTP for what it never calls (populate, PATCH, 404/405,
 * error shapes), checking the real server's status codes and JSON shapes.
 */
class ToxiproxyApiIT {
    static final String API_HOST = "127.0.2.1";
    static final String LISTEN_HOST = "127.0.2.2";
    static final String UPSTREAM_HOST = "127.0.2.3";
    static final ObjectMapper JSON = new ObjectMapper();

    ToxiproxyServer server;
    ToxiproxyClient client;
    TestUpstream echo;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws IOException {
        server = ToxiproxyServer.start(API_HOST, 0, 42);
        client = new ToxiproxyClient(server.apiHost(), server.apiPort());
        echo = TestUpstream.echo(UPSTREAM_HOST);
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        echo.close();
    }

    record Reply(int status, String contentType, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    Reply call(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + API_HOST + ":" + server.apiPort() + path));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    }

    static String roundTrip(String listen, String message) throws IOException {
        var hp = Addresses.split(listen);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(hp.host(), hp.port()), 2000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(message.getBytes());
            byte[] got = s.getInputStream().readNBytes(message.length());
            return new String(got);
        }
    }

    @Test
    void versionIsNonEmptyJson() throws Exception {
        assertEquals("{\"version\":\"" + ToxiproxyServer.COMPATIBLE_VERSION + "\"}", client.version());
        Reply r = call("GET", "/version", null);
        assertEquals(200, r.status());
        assertTrue(r.contentType().startsWith("application/json"));
    }

    @Test
    void createGetListDeleteProxyThroughTheClient() throws Exception {
        Proxy b = client.createProxy("b", LISTEN_HOST + ":0", echo.address());
        Proxy a = client.createProxy("a", LISTEN_HOST + ":0", echo.address());
        assertTrue(a.getListen().startsWith(LISTEN_HOST + ":"));
        assertFalse(a.getListen().endsWith(":0"), "ephemeral port is resolved: " + a.getListen());
        assertTrue(a.isEnabled());
        assertEquals(echo.address(), a.getUpstream());
        assertEquals("hello", roundTrip(a.getListen(), "hello"));

        List<Proxy> all = client.getProxies();
        assertEquals(List.of("a", "b"), all.stream().map(Proxy::getName).toList(), "keys sorted");
        assertEquals(b.getListen(), client.getProxy("b").getListen());

        IOException duplicate = assertThrows(IOException.class, () -> client.createProxy("a", LISTEN_HOST + ":0", "x:1"));
        assertEquals("[409] proxy already exists", duplicate.getMessage());

        a.delete();
        IOException missing = assertThrows(IOException.class, () -> client.getProxy("a"));
        assertEquals("[404] proxy not found", missing.getMessage());
        assertNull(client.getProxyOrNull("a"));
        assertThrows(ConnectException.class, () -> roundTrip(a.getListen(), "x"));
        assertEquals(1, client.getProxies().size());
    }

    @Test
    void disableRefusesAndClosesLiveConnectionsEnableRebindsTheSamePort() throws Exception {
        Proxy p = client.createProxy("p", LISTEN_HOST + ":0", echo.address());
        String listen = p.getListen();
        var hp = Addresses.split(listen);
        try (Socket live = new Socket(hp.host(), hp.port())) {
            live.setSoTimeout(5000);
            live.getOutputStream().write('x');
            assertEquals('x', live.getInputStream().read());
            p.disable();
            assertFalse(p.isEnabled());
            assertEquals(-1, live.getInputStream().read(), "live connection closed by disable");
        }
        assertThrows(ConnectException.class, () -> roundTrip(listen, "x"));
        p.enable();
        assertEquals(listen, p.getListen());
        assertEquals("again", roundTrip(listen, "again"));
    }

    @Test
    void setUpstreamAndListenRestartTheProxy() throws Exception {
        try (TestUpstream other = TestUpstream.start(UPSTREAM_HOST, s -> s.getOutputStream().write("other".getBytes()))) {
            Proxy p = client.createProxy("p", LISTEN_HOST + ":0", echo.address());
            p.setUpstream(other.address());
            assertEquals(other.address(), p.getUpstream());
            var hp = Addresses.split(p.getListen());
            try (Socket s = new Socket(hp.host(), hp.port())) {
                s.setSoTimeout(5000);
                assertEquals("other", new String(s.getInputStream().readNBytes(5)));
            }
            p.setListen(LISTEN_HOST + ":0");
            assertTrue(p.isEnabled());
            assertEquals("other", roundTrip(p.getListen(), "xxxxx"));
        }
    }

    @Test
    void resetReEnablesAndRemovesToxics() throws Exception {
        Proxy p = client.createProxy("p", LISTEN_HOST + ":0", echo.address());
        p.toxics().latency("lat", ToxicDirection.DOWNSTREAM, 100);
        p.toxics().bandwidth("bw", ToxicDirection.UPSTREAM, 10);
        p.disable();
        client.reset();
        assertTrue(p.isEnabled());
        assertTrue(p.toxics().getAll().isEmpty());
        assertEquals("ok", roundTrip(p.getListen(), "ok"));
        assertEquals(204, call("POST", "/reset", "").status());
    }

    @Test
    void everyToxicRoundTripsItsAttributesAndSetters() throws Exception {
        Proxy p = client.createProxy("p", LISTEN_HOST + ":0", echo.address());
        var t = p.toxics();
        Latency latency = t.latency("latency", ToxicDirection.DOWNSTREAM, 100).setJitter(15);
        assertEquals(100, latency.getLatency());
        assertEquals(15, latency.getJitter());
        assertEquals(15, t.get("latency", Latency.class).getJitter());
        Bandwidth bandwidth = t.bandwidth("bandwidth", ToxicDirection.UPSTREAM, 100).setRate(200);
        assertEquals(200, t.get("bandwidth", Bandwidth.class).getRate());
        assertEquals(ToxicDirection.UPSTREAM, bandwidth.getStream());
        t.slowClose("slow", ToxicDirection.DOWNSTREAM, 5).setDelay(7);
        assertEquals(7, t.get("slow", SlowClose.class).getDelay());
        t.timeout("timeout", ToxicDirection.UPSTREAM, 5).setTimeout(9);
        assertEquals(9, t.get("timeout", Timeout.class).getTimeout());
        t.resetPeer("reset", ToxicDirection.DOWNSTREAM, 3).setTimeout(4);
        assertEquals(4, t.get("reset", ResetPeer.class).getTimeout());
        Slicer slicer = t.slicer("slicer", ToxicDirection.UPSTREAM, 10, 20).setSizeVariation(3).setAverageSize(11);
        Slicer readBack = t.get("slicer", Slicer.class);
        assertEquals(11, readBack.getAverageSize());
        assertEquals(3, readBack.getSizeVariation());
        assertEquals(20, readBack.getDelay());
        assertEquals(slicer.getName(), readBack.getName());
        t.limitData("limit", ToxicDirection.DOWNSTREAM, 10).setBytes(12);
        assertEquals(12, t.get("limit", LimitData.class).getBytes());
        latency.setToxicity(0.5f);
        assertEquals(0.5f, t.get("latency").getToxicity());

        // upstream toxics first, then downstream, each in insertion order
        assertEquals(List.of("bandwidth", "timeout", "slicer", "latency", "slow", "reset", "limit"),
                t.getAll().stream().map(x -> x.getName()).toList());
        assertInstanceOf(Latency.class, t.get("latency"));

        IOException dup = assertThrows(IOException.class, () -> t.latency("latency", ToxicDirection.UPSTREAM, 1));
        assertEquals("[409] toxic already exists", dup.getMessage());
        t.get("latency").remove();
        assertThrows(IOException.class, () -> t.get("latency"));
        assertEquals(6, t.getAll().size());
        assertEquals(6, client.getProxy("p").toxics().getAll().size());
    }

    @Test
    void toxicJsonShapeAndDefaults() throws Exception {
        client.createProxy("p", LISTEN_HOST + ":0", echo.address());
        Reply created = call("POST", "/proxies/p/toxics", "{\"type\":\"latency\",\"attributes\":{\"latency\":5}}");
        assertEquals(200, created.status());
        assertEquals("{\"attributes\":{\"latency\":5,\"jitter\":0},\"name\":\"latency_downstream\","
                + "\"type\":\"latency\",\"stream\":\"downstream\",\"toxicity\":1}", created.body());
        Reply upper = call("POST", "/proxies/p/toxics", "{\"type\":\"timeout\",\"stream\":\"UPSTREAM\",\"toxicity\":0.5}");
        assertEquals("timeout_UPSTREAM", upper.json().get("name").asText());
        assertEquals("UPSTREAM", upper.json().get("stream").asText());
        assertEquals("0.5", upper.json().get("toxicity").asText());

        Reply patched = call("PATCH", "/proxies/p/toxics/latency_downstream", "{\"attributes\":{\"jitter\":3}}");
        assertEquals(200, patched.status());
        assertEquals(5, patched.json().get("attributes").get("latency").asLong());
        assertEquals(3, patched.json().get("attributes").get("jitter").asLong());

        Reply list = call("GET", "/proxies/p/toxics", null);
        assertEquals(2, list.json().size());
        assertEquals("timeout_UPSTREAM", list.json().get(0).get("name").asText());
        assertEquals(204, call("DELETE", "/proxies/p/toxics/timeout_UPSTREAM", null).status());
        assertEquals(404, call("DELETE", "/proxies/p/toxics/timeout_UPSTREAM", null).status());

        Reply proxy = call("GET", "/proxies/p", null);
        JsonNode node = proxy.json();
        assertEquals(List.of("name", "listen", "upstream", "enabled", "toxics"), fieldNames(node));
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void errorsHaveTheRealServersStatusAndShape() throws Exception {
        assertError(call("POST", "/proxies", ""), 400, "bad request body: EOF");
        assertError(call("POST", "/proxies", "{\"upstream\":\"x:1\"}"), 400, "missing required field: name");
        assertError(call("POST", "/proxies", "{\"name\":\"n\"}"), 400, "missing required field: upstream");
        assertError(call("POST", "/proxies", "{\"name\":\"n\",\"upstream\":\"x:1\",\"enabled\":\"yes\"}"), 400,
                "bad request body: json: cannot unmarshal string into Go struct field Proxy.enabled of type bool");
        assertError(call("POST", "/proxies", "{nonsense"), 400, null);
        assertError(call("POST", "/proxies", "{\"name\":\"n\",\"listen\":\"nonsense\",\"upstream\":\"x:1\"}"), 500,
                "listen tcp: address nonsense: missing port in address");
        assertEquals(404, call("GET", "/proxies/n", null).status(), "failed create leaves nothing behind");
        assertError(call("GET", "/proxies/none", null), 404, "proxy not found");
        assertError(call("GET", "/proxies/none/toxics", null), 404, "proxy not found");

        client.createProxy("p", LISTEN_HOST + ":0", echo.address());
        Proxy p = client.getProxy("p");
        Reply busy = call("POST", "/proxies", "{\"name\":\"q\",\"listen\":\"" + p.getListen() + "\",\"upstream\":\"x:1\"}");
        assertError(busy, 500, "listen tcp " + p.getListen() + ": bind: address already in use");

        assertError(call("GET", "/proxies/p/toxics/none", null), 404, "toxic not found");
        assertError(call("POST", "/proxies/p/toxics", "{\"type\":\"latency\",\"stream\":\"sideways\"}"), 400,
                "stream was invalid, can be either upstream or downstream");
        assertError(call("POST", "/proxies/p/toxics", "{\"type\":\"explode\"}"), 400, "invalid toxic type");
        assertError(call("POST", "/proxies/p/toxics", "{\"type\":\"latency\",\"attributes\":{\"latency\":1.5}}"), 400,
                "bad request body: json: cannot unmarshal number 1.5 into Go struct field LatencyToxic.attributes.latency of type int64");
        // not the real server's crash: bad sizes are refused
        assertError(call("POST", "/proxies/p/toxics", "{\"type\":\"bandwidth\",\"attributes\":{\"rate\":-1}}"), 400, null);
        assertError(call("POST", "/proxies/p/toxics", "{\"type\":\"slicer\",\"attributes\":{\"average_size\":0}}"), 400, null);
        assertError(call("POST", "/proxies/p/toxics", "{\"type\":\"slicer\",\"attributes\":{\"average_size\":5,\"size_variation\":-1}}"), 400, null);
        call("POST", "/proxies/p/toxics", "{\"name\":\"bw\",\"type\":\"bandwidth\",\"attributes\":{\"rate\":5}}");
        assertError(call("POST", "/proxies/p/toxics/bw", "{\"attributes\":{\"rate\":-5}}"), 400, null);
        assertEquals(5, client.getProxy("p").toxics().get("bw", Bandwidth.class).getRate());
        assertEquals("ok", roundTrip(p.getListen(), "ok"), "server still serves after bad input");

        // toxiproxy-java turns the JSON error into an IOException carrying the message
        IOException viaClient = assertThrows(IOException.class, () -> p.toxics().bandwidth("neg", ToxicDirection.UPSTREAM, -1));
        assertTrue(viaClient.getMessage().startsWith("[400] invalid attribute"), viaClient.getMessage());

        assertError(call("POST", "/proxies", "[" + " ".repeat(2 << 20) + "]"), 400, null);
        Reply unknown = call("GET", "/nothing", null);
        assertEquals(404, unknown.status());
        assertEquals("404 page not found\n", unknown.body());
        assertEquals(405, call("PUT", "/proxies", "{}").status());
        assertEquals(405, call("GET", "/reset", null).status());
        assertEquals(404, call("GET", "/metrics", null).status());
        HttpRequest browser = HttpRequest.newBuilder(URI.create("http://" + API_HOST + ":" + server.apiPort() + "/proxies"))
                .header("User-Agent", "Mozilla/5.0").build();
        assertEquals(403, http.send(browser, HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    void assertError(Reply r, int status, String message) throws IOException {
        assertEquals(status, r.status(), r.body());
        JsonNode node = r.json();
        assertEquals(status, node.get("status").asInt());
        assertTrue(node.get("error").isTextual());
        if (message != null) assertEquals(message, node.get("error").asText());
    }

    @Test
    void populateCreatesKeepsReplacesAndValidatesFirst() throws Exception {
        Reply empty = call("POST", "/populate", "[]");
        assertEquals(201, empty.status());
        assertEquals("{\"proxies\":null}", empty.body());

        String two = "[{\"name\":\"one\",\"listen\":\"" + LISTEN_HOST + ":0\",\"upstream\":\"" + echo.address() + "\"},"
                + "{\"name\":\"two\",\"listen\":\"" + LISTEN_HOST + ":0\",\"upstream\":\"" + echo.address() + "\",\"enabled\":false}]";
        Reply created = call("POST", "/populate", two);
        assertEquals(201, created.status());
        JsonNode proxies = created.json().get("proxies");
        assertEquals(2, proxies.size());
        assertTrue(proxies.get(0).get("enabled").asBoolean());
        assertEquals(LISTEN_HOST + ":0", proxies.get(1).get("listen").asText(), "disabled keeps listen as given");
        String oneListen = proxies.get(0).get("listen").asText();

        // same name, same resolved listen and upstream: kept (toxics survive)
        client.getProxy("one").toxics().latency("lat", ToxicDirection.DOWNSTREAM, 1);
        Reply kept = call("POST", "/populate", "[{\"name\":\"one\",\"listen\":\"" + oneListen + "\",\"upstream\":\"" + echo.address() + "\"}]");
        assertEquals(201, kept.status());
        assertEquals(1, client.getProxy("one").toxics().getAll().size());
        // different upstream: replaced (toxics gone)
        call("POST", "/populate", "[{\"name\":\"one\",\"listen\":\"" + oneListen + "\",\"upstream\":\"127.0.2.3:1\"}]");
        assertEquals(0, client.getProxy("one").toxics().getAll().size());
        assertEquals("127.0.2.3:1", client.getProxy("one").getUpstream());

        Reply invalid = call("POST", "/populate", "[{\"name\":\"three\",\"upstream\":\"x:1\"},{\"name\":\"four\"}]");
        assertEquals(400, invalid.status());
        assertEquals("missing required field: upstream at proxy 2", invalid.json().get("error").asText());
        assertTrue(invalid.json().get("proxies").isNull());
        assertEquals(404, call("GET", "/proxies/three", null).status(), "validated before anything changes");

        Reply partial = call("POST", "/populate", "[{\"name\":\"five\",\"listen\":\"" + LISTEN_HOST + ":0\",\"upstream\":\"x:1\"},"
                + "{\"name\":\"six\",\"listen\":\"" + oneListen + "\",\"upstream\":\"x:1\"}]");
        assertEquals(500, partial.status());
        assertEquals(1, partial.json().get("proxies").size());
        assertEquals("five", partial.json().get("proxies").get(0).get("name").asText());
        assertTrue(partial.contentType().startsWith("application/json"));
    }

    @Test
    void proxyUpdateViaPatchAndNoOpUpdateKeepsConnections() throws Exception {
        Proxy p = client.createProxy("p", LISTEN_HOST + ":0", echo.address());
        var hp = Addresses.split(p.getListen());
        try (Socket live = new Socket(hp.host(), hp.port())) {
            live.setSoTimeout(5000);
            Reply same = call("PATCH", "/proxies/p", "{\"enabled\":true,\"listen\":\"" + p.getListen() + "\"}");
            assertEquals(200, same.status());
            live.getOutputStream().write("still".getBytes());
            assertArrayEquals("still".getBytes(), live.getInputStream().readNBytes(5));
        }
        assertError(call("POST", "/proxies/p", ""), 400, "bad request body: EOF");
        assertError(call("PATCH", "/proxies/none", "{}"), 404, "proxy not found");
        Reply disabled = call("PATCH", "/proxies/p", "{\"enabled\":false}");
        assertFalse(disabled.json().get("enabled").asBoolean());
        assertEquals(204, call("DELETE", "/proxies/p", null).status());
        assertError(call("DELETE", "/proxies/p", null), 404, "proxy not found");
    }

    @Test
    void wildcardListenIsShownAsIpv6Any() throws Exception {
        Reply r = call("POST", "/proxies", "{\"name\":\"w\",\"listen\":\"0.0.0.0:0\",\"upstream\":\"" + echo.address() + "\",\"enabled\":false}");
        assertEquals(201, r.status());
        assertEquals("0.0.0.0:0", r.json().get("listen").asText());
        // enabling binds the wildcard; shown as the real server shows it
        Reply enabled = call("POST", "/proxies/w", "{\"enabled\":true}");
        assertTrue(enabled.json().get("listen").asText().startsWith("[::]:"), enabled.body());
        call("DELETE", "/proxies/w", null);
    }
}
