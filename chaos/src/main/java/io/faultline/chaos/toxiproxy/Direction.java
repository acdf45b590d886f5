package io.faultline.chaos.toxiproxy;

import java.util.Locale;
import java.util.Optional;

/** upstream = client to server bytes; downstream = server to client bytes. */
public enum Direction {
    UPSTREAM, DOWNSTREAM;

    /** Case-insensitive, like the real server's stream parsing. */
    static Optional<Direction> parse(String stream) {
        return switch (stream.toLowerCase(Locale.ROOT)) {
            case "upstream" -> Optional.of(UPSTREAM);
            case "downstream" -> Optional.of(DOWNSTREAM);
            default -> Optional.empty();
        };
    }
}
