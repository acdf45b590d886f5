package io.faultline.checker.history;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;

/** Parses one EDN (or JSON scalar/array) literal from a string, e.g. an --init option: "0", "{:x 0 :y 0}", "[1 2]". */
public final class EdnValues {
    private EdnValues() {
    }

    public static Object parse(String text) {
        try {
            EdnParser p = new EdnParser(new StringReader(text), "value");
            Object o = p.readValue();
            if (p.read() != EdnParser.EOF) throw new IllegalArgumentException("more than one value in '" + text + "'");
            return o;
        } catch (HistoryFormatException e) {
            throw new IllegalArgumentException("bad value '" + text + "': " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
