package io.faultline.chaos.cluster;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The current JVM's classpath, which node JVMs reuse: in tests the module's classes and Maven
 * dependencies, in the CLI the shaded faultline.jar. Surefire/Failsafe may hand the JVM a
 * manifest-only jar; {@link #entries()} follows such manifests' Class-Path to the real entries.
 */
public final class ClassPath {
    private ClassPath() {}

    /** The classpath string as this JVM got it (good for a child JVM on the same machine). */
    public static String current() {
        return System.getProperty("java.class.path");
    }

    /** The classpath's files and directories, manifest Class-Path entries expanded, in order. */
    public static List<Path> entries() {
        Set<Path> out = new LinkedHashSet<>();
        for (String e : current().split(File.pathSeparator)) {
            if (!e.isBlank()) expand(Path.of(e).toAbsolutePath().normalize(), out);
        }
        return new ArrayList<>(out);
    }

    private static void expand(Path entry, Set<Path> out) {
        if (!Files.exists(entry) || out.contains(entry)) return;
        out.add(entry);
        if (!Files.isRegularFile(entry) || !entry.toString().endsWith(".jar")) return;
        try (JarFile jar = new JarFile(entry.toFile())) {
            Manifest manifest = jar.getManifest();
            String classPath = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
            if (classPath == null) return;
            for (String ref : classPath.trim().split("\\s+")) {
                if (ref.isEmpty()) continue;
                Path p = ref.startsWith("file:") ? Path.of(URI.create(ref)) : entry.getParent().resolve(ref);
                expand(p.toAbsolutePath().normalize(), out);
            }
        } catch (IOException | IllegalArgumentException e) {
            // an unreadable jar contributes only itself
        }
    }
}
