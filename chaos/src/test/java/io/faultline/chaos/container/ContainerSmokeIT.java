package io.faultline.chaos.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The container engine works as the project needs it: an image built on the local base image,
 * three containers on distinct loopback addresses with host networking, kill and restart.
 * Never skipped: if the engine is missing this fails (ci/test.sh provisions it).
 */
class ContainerSmokeIT {
    static final String[] HOSTS = {"127.0.0.11", "127.0.0.12", "127.0.0.13"};
    static final int PORT = 17011;
    static final List<GenericContainer<?>> containers = new ArrayList<>();
    static String image;

    @BeforeAll
    static void buildImageAndStart() throws Exception {
        String dockerfile = "FROM " + BaseImage.tag() + "\n"
                + "COPY Echo.java /app/Echo.java\n"
                + "ENTRYPOINT [\"java\", \"/app/Echo.java\"]\n";
        image = new ImageFromDockerfile("faultline/smoke-echo", false)
                .withFileFromString("Dockerfile", dockerfile)
                .withFileFromClasspath("Echo.java", "smoke/Echo.java")
                .get(120, TimeUnit.SECONDS);
        for (String host : HOSTS) {
            GenericContainer<?> c = new GenericContainer<>(image)
                    .withNetworkMode("host")
                    .withCommand(host, String.valueOf(PORT))
                    .withLabel("io.faultline.test", "smoke")
                    .waitingFor(Wait.forLogMessage(".*listening on.*", 1)
                            .withStartupTimeout(Duration.ofSeconds(60)));
            containers.add(c);
        }
        containers.parallelStream().forEach(GenericContainer::start);
    }

    @AfterAll
    static void stopAll() {
        containers.forEach(GenericContainer::stop);
    }

    @Test
    void talksToEachKillsOneAndRestartsIt() throws Exception {
        for (String host : HOSTS) {
            assertEquals(host + " hello", roundTrip(host, "hello"));
        }

        var victim = containers.get(1);
        var docker = DockerClientFactory.instance().client();
        docker.killContainerCmd(victim.getContainerId()).exec();
        awaitRefused(HOSTS[1]);
        assertEquals(HOSTS[0] + " still", roundTrip(HOSTS[0], "still"));
        assertEquals(HOSTS[2] + " still", roundTrip(HOSTS[2], "still"));

        docker.startContainerCmd(victim.getContainerId()).exec();
        assertEquals(HOSTS[1] + " back", awaitRoundTrip(HOSTS[1], "back", Duration.ofSeconds(60)));
    }

    static String roundTrip(String host, String line) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, PORT), 2000);
            s.setSoTimeout(5000);
            var out = new PrintWriter(s.getOutputStream(), true);
            var in = new BufferedReader(new InputStreamReader(s.getInputStream()));
            out.println(line);
            return in.readLine();
        }
    }

    static void awaitRefused(String host) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try {
                roundTrip(host, "ping");
            } catch (IOException e) {
                assertThrows(ConnectException.class, () -> roundTrip(host, "ping"));
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(host + " still answers after kill");
    }

    static String awaitRoundTrip(String host, String line, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try {
                return roundTrip(host, line);
            } catch (IOException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw new AssertionError(host + " did not answer after restart", last);
    }
}
