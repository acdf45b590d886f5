package io.faultline.chaos.toxiproxy;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The toxic types the embedded server knows, with the attributes each one always reports
 * (toxiproxy-java needs every attribute present, zero when unset) and the Go struct name the
 * real server puts into its decoder error messages.
 */
public enum ToxicType {
    LATENCY("LatencyToxic", "latency", "jitter"),
    BANDWIDTH("BandwidthToxic", "rate"),
    SLOW_CLOSE("SlowCloseToxic", "delay"),
    TIMEOUT("TimeoutToxic", "timeout"),
    RESET_PEER("ResetToxic", "timeout"),
    SLICER("SlicerToxic", "average_size", "size_variation", "delay"),
    LIMIT_DATA("LimitDataToxic", "bytes"),
    NOOP("NoopToxic");

    private final String goStruct;
    private final List<String> attributes;

    ToxicType(String goStruct, String... attributes) {
        this.goStruct = goStruct;
        this.attributes = List.of(attributes);
    }

    /** The name used on the wire, e.g. {@code slow_close}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public List<String> attributes() {
        return attributes;
    }

    String goStruct() {
        return goStruct;
    }

    /** Exact (case-sensitive) lookup by wire name, as the real server's registry does. */
    public static Optional<ToxicType> fromWire(String wire) {
        for (ToxicType t : values()) {
            if (t.wireName().equals(wire)) return Optional.of(t);
        }
        return Optional.empty();
    }
}
