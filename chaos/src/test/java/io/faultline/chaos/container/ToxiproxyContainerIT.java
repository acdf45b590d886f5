package io.faultline.chaos.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import io.faultline.chaos.toxiproxy.ToxiproxyMain;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import picocli.CommandLine;

/**
 * The standalone Toxiproxy-compatible server in a container image built on the local base image,
 * with host networking on 127.0.2.20, driven by toxiproxy-java from this JVM: a proxy to an echo
 * server here, and a latency toxic that the proxy's client observes. Never skipped.
 */
class ToxiproxyContainerIT {
    static final String TOXIPROXY_HOST = "127.0.2.20";
    static final String ECHO_HOST = "127.0.2.21";

    /** Builds faultline/toxiproxy from the classes and jars this test runs with. */
    static String buildImage() throws Exception {
        String dockerfile = "FROM " + BaseImage.tag() + "\n"
                + "COPY lib/ /app/lib/\n"
                + "COPY classes/ /app/classes/\n"
                + "ENTRYPOINT [\"java\", \"-cp\", \"/app/lib/*:/app/classes\", \"" + ToxiproxyMain.class.getName() + "\"]\n";
        ImageFromDockerfile image = new ImageFromDockerfile("faultline/toxiproxy", false)
                .withFileFromString("Dockerfile", dockerfile);
        for (Class<?> c : new Class<?>[] {ObjectMapper.class, JsonFactory.class, JsonProperty.class, CommandLine.class}) {
            Path jar = codeSource(c);
            image.withFileFromPath("lib/" + jar.getFileName(), jar);
        }
        Path own = codeSource(ToxiproxyMain.class);
        if (Files.isDirectory(own)) image.withFileFromPath("classes", own);
        else image.withFileFromPath("lib/" + own.getFileName(), own).withFileFromString("classes/.keep", "");
        return image.get(120, TimeUnit.SECONDS);
    }

    static Path codeSource(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    static int freePort(String host) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return s.getLocalPort();
        }
    }

    @Test
    void containerisedServerProxiesAndAppliesALatencyToxic() throws Exception {
        String image = buildImage();
        int apiPort = freePort(TOXIPROXY_HOST);
        try (ServerSocket echo = new ServerSocket(0, 50, InetAddress.getByName(ECHO_HOST));
             GenericContainer<?> toxiproxy = new GenericContainer<>(image)
                     .withNetworkMode("host")
                     .withCommand("--host", TOXIPROXY_HOST, "--port", String.valueOf(apiPort), "--seed", "1")
                     .withLabel("io.faultline.test", "toxiproxy")
                     .waitingFor(Wait.forLogMessage(".*API listening on.*", 1).withStartupTimeout(Duration.ofSeconds(60)))) {
            Thread.ofVirtual().start(() -> {
                while (true) {
                    try {
                        Socket s = echo.accept();
                        Thread.ofVirtual().start(() -> {
                            try (s) {
                                s.getInputStream().transferTo(s.getOutputStream());
                            } catch (IOException ignored) {
                                // the proxy closed it
                            }
                        });
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            toxiproxy.start();

            ToxiproxyClient client = new ToxiproxyClient(TOXIPROXY_HOST, apiPort);
            assertTrue(client.version().contains("version"));
            Proxy proxy = client.createProxy("echo", TOXIPROXY_HOST + ":0", ECHO_HOST + ":" + echo.getLocalPort());
            int proxyPort = Integer.parseInt(proxy.getListen().substring(proxy.getListen().lastIndexOf(':') + 1));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(TOXIPROXY_HOST, proxyPort), 2000);
                s.setTcpNoDelay(true);
                s.setSoTimeout(10_000);
                assertTrue(rtt(s, "fast") < 250);
                proxy.toxics().latency("slow", ToxicDirection.DOWNSTREAM, 400);
                long slow = rtt(s, "slow");
                assertTrue(slow >= 400 && slow < 3000, "rtt with the latency toxic: " + slow);
                proxy.toxics().get("slow").remove();
                assertTrue(rtt(s, "fast again") < 250);
            }
            assertEquals(1, client.getProxies().size());
        }
    }

    static long rtt(Socket s, String message) throws IOException {
        long start = System.nanoTime();
        s.getOutputStream().write(message.getBytes());
        assertEquals(message, new String(s.getInputStream().readNBytes(message.length())));
        return (System.nanoTime() - start) / 1_000_000;
    }
}
