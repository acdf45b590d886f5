package io.faultline.checker.history;

import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small streaming EDN reader, enough for Jepsen histories. Keywords become strings without the colon,
 * symbols become strings, integers Long (BigInteger if too big), decimals Double, vectors and lists List,
 * maps Map, sets Set, characters String. A tagged literal ({@code #inst "..."}, {@code #jepsen.history.Op{...}})
 * is read as its form; {@code #_} discards the next form. Tracks line numbers for error messages.
 */
final class EdnParser {
    /** Marks the end of a collection when reading its elements. */
    static final Object END = new Object();
    static final Object EOF = new Object();

    private final Reader in;
    private final String file;
    private final char[] buf = new char[1 << 16];
    private int pos;
    private int len;
    private long line = 1;
    private final StringBuilder sb = new StringBuilder();

    EdnParser(Reader in, String file) {
        this.in = in;
        this.file = file;
    }

    long line() {
        return line;
    }

    HistoryFormatException error(String message) {
        return new HistoryFormatException(file, line, message);
    }

    private int peek() throws IOException {
        if (pos == len) {
            len = in.read(buf, 0, buf.length);
            pos = 0;
            if (len <= 0) {
                len = 0;
                return -1;
            }
        }
        return buf[pos];
    }

    private int next() throws IOException {
        int c = peek();
        if (c >= 0) {
            pos++;
            if (c == '\n') line++;
        }
        return c;
    }

    /** Skips whitespace, commas and ; comments; returns the next char without consuming it, or -1. */
    int skipBlank() throws IOException {
        while (true) {
            int c = peek();
            if (c == ';') {
                while (c >= 0 && c != '\n') c = next();
            } else if (c >= 0 && (Character.isWhitespace(c) || c == ',' || c == '\uFEFF')) {
                next();
            } else {
                return c;
            }
        }
    }

    void consume() throws IOException {
        next();
    }

    /** Reads one form; returns {@link #EOF} at end of input and {@link #END} at a closing bracket. */
    Object read() throws IOException {
        int c = skipBlank();
        if (c < 0) return EOF;
        switch (c) {
            case '[': next(); return readColl(']', new ArrayList<>());
            case '(': next(); return readColl(')', new ArrayList<>());
            case '{': next(); return readMap();
            case ']': case ')': case '}': next(); return END;
            case '"': next(); return readString();
            case ':': next(); return readToken();
            case '\\': next(); return readChar();
            case '#': return readDispatch();
            default:
                if (c == '-' || c == '+' || (c >= '0' && c <= '9')) return readNumberOrSymbol();
                return symbol(readToken());
        }
    }

    /** Reads one form that must be a value (not a closing bracket or the end of input). */
    Object readValue() throws IOException {
        Object o = read();
        if (o == END) throw error("unexpected closing bracket");
        if (o == EOF) throw error("unexpected end of input (unclosed collection?)");
        return o;
    }

    private Object readDispatch() throws IOException {
        next(); // '#'
        int c = peek();
        if (c == '{') {
            next();
            List<Object> items = readColl('}', new ArrayList<>());
            return Collections.unmodifiableSet(new HashSet<>(items));
        }
        if (c == '_') {
            next();
            readValue();
            return read();
        }
        if (c < 0 || Character.isWhitespace(c)) throw error("bad # dispatch");
        readToken(); // the tag: ignored, the tagged form stands for itself
        return readValue();
    }

    private List<Object> readColl(char close, List<Object> out) throws IOException {
        while (true) {
            int c = skipBlank();
            if (c < 0) throw error("unexpected end of input: missing '" + close + "'");
            if (c == ']' || c == ')' || c == '}') {
                next();
                if (c != close) throw error("expected '" + close + "' but found '" + (char) c + "'");
                return out;
            }
            out.add(readValue());
        }
    }

    private Map<Object, Object> readMap() throws IOException {
        Map<Object, Object> m = new LinkedHashMap<>();
        while (true) {
            int c = skipBlank();
            if (c < 0) throw error("unexpected end of input: missing '}'");
            if (c == '}') {
                next();
                return m;
            }
            if (c == ']' || c == ')') throw error("expected '}' but found '" + (char) c + "'");
            Object k = readValue();
            c = skipBlank();
            if (c == '}' || c < 0) throw error("map has a key with no value: " + k);
            m.put(k, readValue());
        }
    }

    private String readString() throws IOException {
        sb.setLength(0);
        long startLine = line;
        while (true) {
            int c = next();
            if (c < 0) throw new HistoryFormatException(file, startLine, "unterminated string");
            if (c == '"') return sb.toString();
            if (c == '\\') {
                int e = next();
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    case 'u' -> {
                        char[] hex = new char[4];
                        for (int i = 0; i < 4; i++) hex[i] = (char) next();
                        try {
                            sb.append((char) Integer.parseInt(new String(hex), 16));
                        } catch (NumberFormatException ex) {
                            throw error("bad \\u escape in string");
                        }
                    }
                    default -> throw error("bad escape \\" + (e < 0 ? "EOF" : String.valueOf((char) e)) + " in string");
                }
            } else {
                sb.append((char) c);
            }
        }
    }

    private static boolean delimiter(int c) {
        return c < 0 || Character.isWhitespace(c) || c == ',' || c == '(' || c == ')' || c == '[' || c == ']'
                || c == '{' || c == '}' || c == '"' || c == ';';
    }

    private String readToken() throws IOException {
        sb.setLength(0);
        while (!delimiter(peek())) sb.append((char) next());
        if (sb.isEmpty()) throw error("empty token");
        return sb.toString();
    }

    private String readChar() throws IOException {
        sb.setLength(0);
        sb.append((char) next());
        while (!delimiter(peek())) sb.append((char) next());
        String t = sb.toString();
        return switch (t) {
            case "newline" -> "\n";
            case "space" -> " ";
            case "tab" -> "\t";
            case "return" -> "\r";
            default -> t.length() > 1 && t.startsWith("u") ? String.valueOf((char) Integer.parseInt(t.substring(1), 16)) : t;
        };
    }

    private static Object symbol(String t) {
        return switch (t) {
            case "nil" -> null;
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> t;
        };
    }

    private Object readNumberOrSymbol() throws IOException {
        String t = readToken();
        char c0 = t.charAt(0);
        if ((c0 == '-' || c0 == '+') && (t.length() == 1 || !Character.isDigit(t.charAt(1)))) return symbol(t);
        try {
            if (t.endsWith("N")) return integer(t.substring(0, t.length() - 1));
            if (t.endsWith("M")) return Double.parseDouble(t.substring(0, t.length() - 1));
            int slash = t.indexOf('/');
            if (slash > 0) return Double.parseDouble(t.substring(0, slash)) / Double.parseDouble(t.substring(slash + 1));
            if (t.indexOf('.') >= 0 || t.indexOf('e') >= 0 || t.indexOf('E') >= 0) return Double.parseDouble(t);
            return integer(t);
        } catch (NumberFormatException e) {
            throw error("bad number '" + t + "'");
        }
    }

    private static Object integer(String t) {
        if (t.startsWith("+")) t = t.substring(1);
        if (t.length() < 18) return Long.parseLong(t);
        BigInteger b = new BigInteger(t);
        return b.bitLength() < 64 ? (Object) b.longValue() : b;
    }
}
