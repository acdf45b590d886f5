package io.faultline.chaos.container;

import io.faultline.chaos.cluster.ClassPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The image every node container runs: the local base image plus this JVM's classpath (jars and
 * class directories) under /app/cp, so containers run exactly the code the harness runs. Built
 * once per JVM; Docker's layer cache makes rebuilds with unchanged jars cheap.
 */
public final class NodeImage {
    public static final String NAME = "faultline/node";
    private static String image;
    private static String containerClassPath;

    private NodeImage() {}

    /** Builds (once) and returns the image name. */
    public static synchronized String get() {
        if (image != null) return image;
        List<Path> entries = ClassPath.entries();
        ImageFromDockerfile build = new ImageFromDockerfile(NAME, false);
        StringBuilder dockerfile = new StringBuilder("FROM ").append(BaseImage.tag()).append('\n');
        List<String> cp = new ArrayList<>();
        int i = 0;
        for (Path entry : entries) {
            // skip the manifest-only booter jars of Surefire/Failsafe: ClassPath expanded them
            String fileName = entry.getFileName().toString();
            if (fileName.startsWith("surefirebooter") || fileName.startsWith("failsafe")) continue;
            String target = "cp/" + String.format("%03d-", i++) + fileName.replaceAll("[^A-Za-z0-9._-]", "_");
            build.withFileFromPath(target, entry);
            cp.add("/app/" + target);
        }
        dockerfile.append("COPY cp/ /app/cp/\n");
        build.withFileFromString("Dockerfile", dockerfile.toString());
        try {
            image = build.get(300, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not build the node image on " + BaseImage.tag()
                    + " (is the Docker engine up and the base image built? see ci/base-image.sh)", e);
        }
        containerClassPath = String.join(":", cp);
        return image;
    }

    /** The classpath inside the image; valid after {@link #get()}. */
    public static synchronized String classPath() {
        if (containerClassPath == null) get();
        return containerClassPath;
    }

    static boolean isDirectory(Path p) {
        return Files.isDirectory(p);
    }
}
