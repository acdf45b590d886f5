package io.faultline.checker.history;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The history file formats faultline reads and writes. */
public enum HistoryFormat {
    /** One JSON object per line, Jepsen's field names. */
    JSONL,
    /** Jepsen EDN: a vector or list of op maps, or one map per line, with ; comments. */
    EDN;

    public static HistoryFormat parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "jsonl", "json", "ndjson" -> JSONL;
            case "edn" -> EDN;
            default -> throw new IllegalArgumentException("unknown format '" + s + "' (jsonl|edn)");
        };
    }

    /** Detects the format from the file name, else from the first meaningful characters. */
    public static HistoryFormat detect(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) return JSONL;
        if (name.endsWith(".edn")) return EDN;
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4096);
        }
        return sniff(new String(head, StandardCharsets.UTF_8));
    }

    /** JSON lines start with {"; everything else Jepsen writes ([, (, ;, {:, #) is EDN. */
    static HistoryFormat sniff(String head) {
        int i = skipBlank(head, 0);
        if (i >= head.length()) return JSONL;
        char c = head.charAt(i);
        if (c == '{') {
            int j = skipBlank(head, i + 1);
            return j < head.length() && head.charAt(j) == ':' ? EDN : JSONL;
        }
        return EDN;
    }

    private static int skipBlank(String s, int i) {
        while (i < s.length() && (Character.isWhitespace(s.charAt(i)) || s.charAt(i) == ',' || s.charAt(i) == '\uFEFF')) i++;
        return i;
    }
}
