package io.faultline.chaos.toxiproxy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An immutable snapshot of one toxic in a proxy's chain.
 *
 * @param instanceId fixed for the toxic's life; a removed and re-added toxic gets a new one, so
 *                   per-link state (the limit_data counter) is reset exactly then
 * @param epoch      changes whenever the stage is (re)started on the links (update, or a chain
 *                   change next to it); a link re-draws toxicity when it sees a new epoch
 * @param stream     the stream exactly as submitted (echoed back, e.g. {@code UPSTREAM})
 */
record Toxic(long instanceId, long epoch, String name, ToxicType type, String stream, Direction direction,
             float toxicity, Map<String, Long> attributes) {

    Toxic {
        attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    long attr(String key) {
        return attributes.getOrDefault(key, 0L);
    }

    Toxic withEpoch(long newEpoch) {
        return new Toxic(instanceId, newEpoch, name, type, stream, direction, toxicity, attributes);
    }

    Toxic updated(long newEpoch, Map<String, Long> attrs, Float newToxicity) {
        Map<String, Long> merged = new LinkedHashMap<>(attributes);
        merged.putAll(attrs);
        return new Toxic(instanceId, newEpoch, name, type, stream, direction,
                newToxicity == null ? toxicity : newToxicity, merged);
    }
}
