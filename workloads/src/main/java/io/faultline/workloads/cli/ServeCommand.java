package io.faultline.workloads.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.faultline.workloads.store.Store;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `faultline serve`: browse the store over HTTP on 127.0.0.1. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serves the store over HTTP on 127.0.0.1: an index of runs with verdicts, each run's report and files.")
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--store", description = "Store root. Default ${DEFAULT-VALUE}.")
    Path store = Path.of("store");

    @Option(names = "--port", description = "Port on 127.0.0.1 (0: any free port). Default ${DEFAULT-VALUE}.")
    int port = 8080;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) throw new Main.BadArgumentsException(List.of("--port must be 0..65535, got " + port));
        HttpServer server = start(store, "127.0.0.1", port);
        System.out.printf("[faultline] serving %s at http://127.0.0.1:%d/ (Ctrl-C stops)%n", store.toAbsolutePath(),
                server.getAddress().getPort());
        new CountDownLatch(1).await();
        return 0;
    }

    /** Starts the store browser; the caller stops it. */
    public static HttpServer start(Path storeRoot, String host, int port) throws IOException {
        Path root = storeRoot.toAbsolutePath().normalize();
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
        server.createContext("/", ex -> {
            try (ex) {
                String path = URLDecoder.decode(ex.getRequestURI().getPath(), StandardCharsets.UTF_8);
                if (path.equals("/")) {
                    send(ex, 200, "text/html; charset=utf-8", index(root).getBytes(StandardCharsets.UTF_8));
                    return;
                }
                Path file = root.resolve(path.substring(1)).normalize();
                if (!file.startsWith(root) || !Files.exists(file)) {
                    send(ex, 404, "text/plain", ("not found: " + path).getBytes(StandardCharsets.UTF_8));
                    return;
                }
                if (Files.isDirectory(file)) {
                    send(ex, 200, "text/html; charset=utf-8", listing(root, file).getBytes(StandardCharsets.UTF_8));
                    return;
                }
                send(ex, 200, contentType(file), Files.readAllBytes(file));
            } catch (RuntimeException e) {
                // a bad request must not stop the server
            }
        });
        server.start();
        return server;
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(body);
        }
    }

    static String index(Path root) throws IOException {
        StringBuilder h = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>faultline store</title>"
                + "<style>body{font-family:system-ui,sans-serif;margin:1.5em}td,th{border:1px solid #ccc;padding:.2em .5em}"
                + "table{border-collapse:collapse}.invalid{color:#c92a2a;font-weight:bold}.valid{color:#2b8a3e}</style></head><body>"
                + "<h1>faultline store</h1><table id=\"runs\"><tr><th>test</th><th>run</th><th>verdict</th><th>files</th></tr>");
        for (Path run : new Store(root).runs()) {
            String rel = root.relativize(run).toString().replace('\\', '/');
            String verdict = "running or crashed";
            Path results = run.resolve(Store.RESULTS);
            if (Files.exists(results)) {
                Map<String, Object> r = Store.readJson(results);
                verdict = String.valueOf(r.get("verdict"));
            }
            h.append("<tr><td>").append(run.getParent().getFileName()).append("</td><td>").append(run.getFileName())
                    .append("</td><td class=\"").append(verdict).append("\">").append(verdict).append("</td><td>")
                    .append("<a href=\"/").append(rel).append("/report.html\">report</a> ")
                    .append("<a href=\"/").append(rel).append("/\">files</a></td></tr>");
        }
        return h.append("</table></body></html>").toString();
    }

    private static String listing(Path root, Path dir) throws IOException {
        StringBuilder h = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>")
                .append(root.relativize(dir)).append("</title></head><body><h1>").append(root.relativize(dir)).append("</h1><ul>");
        try (var s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                String rel = root.relativize(p).toString().replace('\\', '/');
                h.append("<li><a href=\"/").append(rel).append(Files.isDirectory(p) ? "/" : "").append("\">")
                        .append(p.getFileName()).append("</a></li>");
            }
        }
        return h.append("</ul><p><a href=\"/\">all runs</a></p></body></html>").toString();
    }

    private static String contentType(Path f) {
        String n = f.getFileName().toString();
        if (n.endsWith(".html")) return "text/html; charset=utf-8";
        if (n.endsWith(".json")) return "application/json";
        if (n.endsWith(".svg")) return "image/svg+xml";
        return "text/plain; charset=utf-8";
    }
}
