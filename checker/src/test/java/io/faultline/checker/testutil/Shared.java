package io.faultline.checker.testutil;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** Locates ../shared/histories beside the repository root; absent is a failure under CI, a skip elsewhere. */
public final class Shared {
    private Shared() {
    }

    public static Path histories() {
        Path dir = Path.of("").toAbsolutePath();
        Path found = null;
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("mvnw")) && Files.exists(p.resolve("checker"))) {
                found = p.getParent().resolve("shared").resolve("histories");
                break;
            }
        }
        boolean present = found != null && Files.isDirectory(found);
        if (!present) {
            String msg = "shared/histories not found beside the repository root (looked from " + dir + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail(msg);
            Assumptions.abort(msg);
        }
        return found;
    }
}
