package io.faultline.workloads.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** compare and serve over a real (no-op) store. */
class StoreCommandsTest {
    @TempDir
    Path store;

    private static String runQuietly(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return code + "\n" + out.toString(StandardCharsets.UTF_8);
        } finally {
            System.setOut(old);
        }
    }

    @Test
    void compareRunsEachSystemAndPrintsOneTable() throws Exception {
        String out = runQuietly("compare", "--systems", "none", "--workload", "noop", "--nemesis", "none", "--time-limit", "1s",
                "--rate", "300", "--seed", "9", "--store", store.toString());
        assertTrue(out.contains("| system | verdict | ops | ok | fail | info | availability | p50 ms | p99 ms | max ms | anomalies |"), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("| none | ") && l.contains("100.0%")), out);
        try (Stream<Path> s = Files.list(store)) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().startsWith("compare-") && p.toString().endsWith(".md")));
        }
    }

    @Test
    void serveListsRunsAndServesReportsButNothingOutsideTheStore() throws Exception {
        runQuietly("test", "--system", "none", "--workload", "noop", "--nemesis", "none", "--time-limit", "1s", "--rate", "200",
                "--seed", "4", "--store", store.toString());
        HttpServer server = ServeCommand.start(store, "127.0.7.200", 0);
        try {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.7.200:" + server.getAddress().getPort();
            HttpResponse<String> index = http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, index.statusCode());
            assertTrue(index.body().contains("none-noop"), index.body());
            String link = index.body().replaceAll("(?s).*href=\"(/[^\"]+/report.html)\".*", "$1");
            HttpResponse<String> report = http.send(HttpRequest.newBuilder(URI.create(base + link)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, report.statusCode());
            assertTrue(report.body().contains("id=\"verdict\""));
            HttpResponse<String> escape = http.send(HttpRequest.newBuilder(URI.create(base + "/..%2F..%2Fetc%2Fpasswd")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, escape.statusCode());
        } finally {
            server.stop(0);
        }
    }
}
