package io.faultline.server;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * zoo.cfg, read the way ZooKeeper reads it (java.util.Properties). Unknown keys are kept in {@link #raw}
 * (server.N lines are for the replicated mode).
 */
public record ServerConfig(
        int tickTime, Path dataDir, Path dataLogDir, String clientPortAddress, int clientPort,
        int maxClientCnxns, int minSessionTimeout, int maxSessionTimeout, int juteMaxBuffer,
        Set<String> fourLetterWhitelist, long serverId, boolean ttlEnabled, long containerCheckIntervalMs,
        int snapCount, Map<String, String> raw) {

    public static final Set<String> ALL_4LW = Set.of("ruok", "srvr", "stat", "mntr", "conf", "cons", "envi");

    public static ServerConfig load(Path file) throws IOException {
        var props = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            props.load(r);
        }
        var map = new LinkedHashMap<String, String>();
        for (String k : props.stringPropertyNames()) map.put(k.trim(), props.getProperty(k).trim());
        return parse(map, null); // relative dirs resolve against the working directory, as in ZooKeeper
    }

    public static ServerConfig parse(Map<String, String> map, Path baseDir) {
        int tick = intValue(map, "tickTime", 2000);
        if (tick <= 0) throw new IllegalArgumentException("tickTime must be > 0");
        String dataDirValue = map.get("dataDir");
        if (dataDirValue == null || dataDirValue.isBlank()) throw new IllegalArgumentException("dataDir is not set");
        Path dataDir = resolve(baseDir, dataDirValue);
        Path dataLogDir = map.containsKey("dataLogDir") ? resolve(baseDir, map.get("dataLogDir")) : dataDir;
        int port = intValue(map, "clientPort", 2181);
        if (port < 0 || port > 65535) throw new IllegalArgumentException("clientPort out of range: " + port);
        int min = intValue(map, "minSessionTimeout", 2 * tick);
        int max = intValue(map, "maxSessionTimeout", 20 * tick);
        if (min > max) throw new IllegalArgumentException("minSessionTimeout " + min + " > maxSessionTimeout " + max);
        int maxBuffer = intValue(map, "jute.maxbuffer", Integer.getInteger("jute.maxbuffer", 0xfffff));
        if (maxBuffer <= 0) throw new IllegalArgumentException("jute.maxbuffer must be > 0");
        Set<String> whitelist = new TreeSet<>();
        String wl = map.getOrDefault("4lw.commands.whitelist", "srvr");
        for (String c : wl.split(",")) {
            c = c.trim();
            if (c.equals("*")) whitelist.addAll(ALL_4LW);
            else if (!c.isEmpty()) whitelist.add(c);
        }
        long myid = 0;
        Path myidFile = dataDir.resolve("myid");
        if (Files.isRegularFile(myidFile)) {
            try { myid = Long.parseLong(Files.readString(myidFile).trim()); } catch (Exception ignored) { }
        }
        return new ServerConfig(tick, dataDir, dataLogDir, map.getOrDefault("clientPortAddress", "127.0.0.1"), port,
                intValue(map, "maxClientCnxns", 60), min, max, maxBuffer, Set.copyOf(whitelist), myid,
                Boolean.parseBoolean(map.getOrDefault("extendedTypesEnabled",
                        System.getProperty("zookeeper.extendedTypesEnabled", "false"))),
                longValue(map, "znode.container.checkIntervalMs",
                        Long.getLong("znode.container.checkIntervalMs", 60_000L)),
                intValue(map, "snapCount", 100_000), Map.copyOf(map));
    }

    private static Path resolve(Path base, String v) {
        Path p = Path.of(v);
        return p.isAbsolute() || base == null ? p : base.resolve(p);
    }

    private static int intValue(Map<String, String> m, String key, int dflt) {
        String v = m.get(key);
        if (v == null || v.isBlank()) return dflt;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a number: " + v);
        }
    }

    private static long longValue(Map<String, String> m, String key, long dflt) {
        String v = m.get(key);
        if (v == null || v.isBlank()) return dflt;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a number: " + v);
        }
    }
}
