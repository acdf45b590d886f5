package io.faultline.server;

import io.faultline.server.tree.DataTree;
import io.faultline.server.tree.WatchTrigger;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Server-side watches: one entry per (path, connection, kind). Core thread only. */
final class WatchManager {
    static final int CHILDREN = 1, DATA = 2, ANY = 3, PERSISTENT = 4, PERSISTENT_RECURSIVE = 5;

    private final Map<String, Set<ClientConnection>> data = new HashMap<>();
    private final Map<String, Set<ClientConnection>> child = new HashMap<>();
    private final Map<String, Set<ClientConnection>> persistent = new HashMap<>();
    private final Map<String, Set<ClientConnection>> recursive = new HashMap<>();

    void addData(String path, ClientConnection c) { add(data, path, c); }
    void addChild(String path, ClientConnection c) { add(child, path, c); }
    void addPersistent(String path, ClientConnection c, boolean isRecursive) { add(isRecursive ? recursive : persistent, path, c); }

    private static void add(Map<String, Set<ClientConnection>> m, String path, ClientConnection c) {
        m.computeIfAbsent(path, k -> new LinkedHashSet<>()).add(c);
    }

    int count() {
        int n = 0;
        for (var m : java.util.List.of(data, child, persistent, recursive)) for (var s : m.values()) n += s.size();
        return n;
    }

    /** Connections to notify for one trigger, each once, in registration order. */
    Map<ClientConnection, Integer> fire(WatchTrigger t) {
        var out = new LinkedHashMap<ClientConnection, Integer>();
        String path = t.path();
        switch (t.eventType()) {
            case WatchTrigger.NODE_CHILDREN_CHANGED -> {
                take(child, path, out, t.eventType());
                peek(persistent, path, out, t.eventType());
            }
            case WatchTrigger.NODE_DELETED -> {
                take(data, path, out, t.eventType());
                take(child, path, out, t.eventType());
                peek(persistent, path, out, t.eventType());
                recursiveUp(path, out, t.eventType());
            }
            default -> { // created, data changed
                take(data, path, out, t.eventType());
                peek(persistent, path, out, t.eventType());
                recursiveUp(path, out, t.eventType());
            }
        }
        return out;
    }

    private void recursiveUp(String path, Map<ClientConnection, Integer> out, int type) {
        if (recursive.isEmpty()) return;
        String p = path;
        while (true) {
            peek(recursive, p, out, type);
            if (p.equals("/")) break;
            p = DataTree.parentOf(p);
        }
    }

    private static void take(Map<String, Set<ClientConnection>> m, String path, Map<ClientConnection, Integer> out, int type) {
        Set<ClientConnection> s = m.remove(path);
        if (s != null) for (ClientConnection c : s) out.putIfAbsent(c, type);
    }

    private static void peek(Map<String, Set<ClientConnection>> m, String path, Map<ClientConnection, Integer> out, int type) {
        Set<ClientConnection> s = m.get(path);
        if (s != null) for (ClientConnection c : s) out.putIfAbsent(c, type);
    }

    boolean contains(String path, int type, ClientConnection c) {
        return switch (type) {
            case CHILDREN -> has(child, path, c) || has(persistent, path, c);
            case DATA -> has(data, path, c) || has(persistent, path, c) || has(recursive, path, c);
            case ANY -> has(child, path, c) || has(data, path, c) || has(persistent, path, c) || has(recursive, path, c);
            case PERSISTENT -> has(persistent, path, c);
            case PERSISTENT_RECURSIVE -> has(recursive, path, c);
            default -> false;
        };
    }

    boolean remove(String path, int type, ClientConnection c) {
        boolean removed = false;
        if (type == CHILDREN || type == ANY) removed |= rm(child, path, c);
        if (type == DATA || type == ANY) removed |= rm(data, path, c);
        if (type == PERSISTENT || type == ANY) removed |= rm(persistent, path, c);
        if (type == PERSISTENT_RECURSIVE || type == ANY) removed |= rm(recursive, path, c);
        return removed;
    }

    private static boolean has(Map<String, Set<ClientConnection>> m, String path, ClientConnection c) {
        Set<ClientConnection> s = m.get(path);
        return s != null && s.contains(c);
    }

    private static boolean rm(Map<String, Set<ClientConnection>> m, String path, ClientConnection c) {
        Set<ClientConnection> s = m.get(path);
        if (s == null || !s.remove(c)) return false;
        if (s.isEmpty()) m.remove(path);
        return true;
    }

    void removeConnection(ClientConnection c) {
        for (var m : java.util.List.of(data, child, persistent, recursive)) {
            m.values().removeIf(s -> s.remove(c) && s.isEmpty());
        }
    }
}
