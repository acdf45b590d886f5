package io.faultline.workloads.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The store: {@code <root>/<test>/<timestamp>/} per run (history.jsonl, test.json, results.json,
 * report.html, nemesis.jsonl, logs/), and {@code <root>/latest} pointing at the newest run.
 */
public final class Store {
    public static final String HISTORY = "history.jsonl";
    public static final String TEST = "test.json";
    public static final String RESULTS = "results.json";
    public static final String REPORT = "report.html";
    public static final String NEMESIS = "nemesis.jsonl";
    public static final String LOGS = "logs";
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS").withZone(ZoneOffset.UTC);

    private final Path root;

    public Store(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** Makes a new run folder and points {@code latest} at it. */
    public Path newRun(String testName, Instant at) throws IOException {
        String safe = testName.replaceAll("[^A-Za-z0-9._-]", "_");
        Path dir = root.resolve(safe).resolve(STAMP.format(at));
        for (int i = 1; Files.exists(dir); i++) dir = root.resolve(safe).resolve(STAMP.format(at) + "-" + i);
        Files.createDirectories(dir.resolve(LOGS));
        Path latest = root.resolve("latest");
        Files.deleteIfExists(latest);
        try {
            Files.createSymbolicLink(latest, root.toAbsolutePath().relativize(dir.toAbsolutePath()));
        } catch (UnsupportedOperationException | IOException e) {
            Files.writeString(latest, dir.toAbsolutePath().toString()); // no symlinks here: a pointer file
        }
        return dir;
    }

    /** Resolves {@code latest} (a symlink, or a pointer file where symlinks are not possible). */
    public Path latest() throws IOException {
        Path latest = root.resolve("latest");
        if (Files.isSymbolicLink(latest)) return latest.toRealPath();
        if (Files.isRegularFile(latest, LinkOption.NOFOLLOW_LINKS)) return Path.of(Files.readString(latest).trim());
        throw new IOException("no runs in " + root);
    }

    /** Every run folder (those with a test.json), newest first. */
    public List<Path> runs() throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(root)) return out;
        try (Stream<Path> s = Files.find(root, 2, (p, a) -> a.isDirectory() && Files.exists(p.resolve(TEST)))) {
            s.filter(p -> !Files.isSymbolicLink(p)).forEach(out::add);
        }
        out.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
        return out;
    }

    public static void writeJson(Path file, Object value) throws IOException {
        JSON.writeValue(file.toFile(), value);
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> readJson(Path file) throws IOException {
        return JSON.readValue(file.toFile(), Map.class);
    }
}
