package io.faultline.checker.session;

import io.faultline.checker.CheckerOptions;
import java.util.Set;

/**
 * Options of the session checker.
 *
 * @param writeFs          ops whose completion zxid is their own transaction's zxid (see docs/history-format.md §9)
 * @param registerWriteFs  writes that set a register key's value: {@code write v} and {@code cas [old new]}
 * @param readFs           register reads (value, mzxid, version on the ok completion)
 * @param ephemeralSlackMs grace after session timeout before an ephemeral of a dead session must be gone
 * @param searchStateBudget states the fallback sequential-consistency search may visit per key
 */
public record SessionOptions(Set<String> writeFs, Set<String> registerWriteFs, Set<String> readFs,
                             long ephemeralSlackMs, long searchStateBudget) {

    public static final Set<String> DEFAULT_WRITES =
            Set.of("write", "cas", "create", "delete", "add", "enqueue", "dequeue", "generate");

    public SessionOptions {
        writeFs = Set.copyOf(writeFs);
        registerWriteFs = Set.copyOf(registerWriteFs);
        readFs = Set.copyOf(readFs);
        if (ephemeralSlackMs < 0) throw new IllegalArgumentException("ephemeral-slack-ms must be >= 0");
        if (searchStateBudget <= 0) throw new IllegalArgumentException("search budget must be positive");
    }

    public static SessionOptions defaults() {
        return new SessionOptions(DEFAULT_WRITES, Set.of("write", "cas"), Set.of("read"), 2000, 2_000_000);
    }

    /** Extras understood: {@code ephemeral-slack-ms}, {@code session-search-states}. */
    public static SessionOptions from(CheckerOptions opts) {
        SessionOptions d = defaults();
        return new SessionOptions(d.writeFs, d.registerWriteFs, d.readFs,
                parse(opts, "ephemeral-slack-ms", d.ephemeralSlackMs),
                parse(opts, "session-search-states", d.searchStateBudget));
    }

    public SessionOptions withEphemeralSlackMs(long ms) {
        return new SessionOptions(writeFs, registerWriteFs, readFs, ms, searchStateBudget);
    }

    private static long parse(CheckerOptions opts, String name, long fallback) {
        String v = opts.extra(name, null);
        if (v == null) return fallback;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("session checker: " + name + " must be an integer, got '" + v + "'");
        }
    }
}
