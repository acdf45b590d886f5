package io.faultline.server;

import java.lang.management.ManagementFactory;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.Set;

/** Four-letter words answered in ZooKeeper's text formats (the harness parses srvr and mntr of both servers). */
final class FourLetterWords {
    private FourLetterWords() {}

    /** The version string we report: ZooKeeper's format, our name in the build part. */
    static final String VERSION = "3.9.4-faultline, built on 2026-01-01 00:00 UTC";

    private static final Set<String> KNOWN = Set.of("conf", "cons", "crst", "dump", "envi", "gtmk", "ruok", "stmk",
            "srst", "srvr", "stat", "wchc", "wchp", "wchs", "mntr", "isro", "hash", "dirs");

    static boolean isKnown(String cmd) { return KNOWN.contains(cmd); }

    static String answer(String cmd, ServerCore core) {
        ServerConfig cfg = core.config();
        if (!cfg.fourLetterWhitelist().contains(cmd)) {
            return cmd + " is not executed because it is not in the whitelist.\n";
        }
        // Unlike ZooKeeper, srvr and mntr also answer while not serving, so a LOOKING server shows "Mode: looking"
        // (ZooKeeper prints the not-serving line for them too; harnesses parse both).
        if (!core.isServing() && !Set.of("ruok", "envi", "conf", "srvr", "mntr").contains(cmd)) {
            return "This ZooKeeper instance is not currently serving requests\n";
        }
        var sb = new StringBuilder();
        switch (cmd) {
            case "ruok" -> sb.append("imok");
            case "srvr", "stat" -> {
                sb.append("Zookeeper version: ").append(VERSION).append('\n');
                if (cmd.equals("stat")) {
                    sb.append("Clients:\n");
                    for (ClientConnection c : core.connections()) sb.append(' ').append(connInfo(c, false)).append('\n');
                    sb.append('\n');
                }
                ServerStats s = core.stats();
                sb.append("Latency min/avg/max: ").append(s.min()).append('/').append(avg(s.avg()))
                        .append('/').append(s.max()).append('\n');
                sb.append("Received: ").append(s.packetsReceived.get()).append('\n');
                sb.append("Sent: ").append(s.packetsSent.get()).append('\n');
                sb.append("Connections: ").append(core.connections().size()).append('\n');
                sb.append("Outstanding: ").append(core.outstanding()).append('\n');
                sb.append("Zxid: 0x").append(Long.toHexString(core.tree().lastProcessedZxid())).append('\n');
                sb.append("Mode: ").append(core.mode()).append('\n');
                sb.append("Node count: ").append(core.tree().nodeCount()).append('\n');
            }
            case "mntr" -> {
                ServerStats s = core.stats();
                line(sb, "zk_version", VERSION);
                line(sb, "zk_server_state", core.mode());
                line(sb, "zk_ephemerals_count", core.ephemeralCount());
                line(sb, "zk_num_alive_connections", core.connections().size());
                line(sb, "zk_avg_latency", avg(s.avg()));
                line(sb, "zk_outstanding_requests", core.outstanding());
                line(sb, "zk_znode_count", core.tree().nodeCount());
                line(sb, "zk_global_sessions", core.tree().sessions().size());
                line(sb, "zk_packets_sent", s.packetsSent.get());
                line(sb, "zk_packets_received", s.packetsReceived.get());
                line(sb, "zk_watch_count", core.watchCount());
                line(sb, "zk_min_latency", s.min());
                if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os) {
                    line(sb, "zk_max_file_descriptor_count", os.getMaxFileDescriptorCount());
                    line(sb, "zk_open_file_descriptor_count", os.getOpenFileDescriptorCount());
                }
                line(sb, "zk_local_sessions", 0);
                line(sb, "zk_uptime", System.currentTimeMillis() - core.startedMillis());
                line(sb, "zk_max_latency", s.max());
                // not in ZooKeeper's standalone mntr: the last applied zxid, for harnesses
                line(sb, "zk_zxid", "0x" + Long.toHexString(core.tree().lastProcessedZxid()));
            }
            case "conf" -> {
                sb.append("clientPort=").append(cfg.clientPort()).append('\n');
                sb.append("secureClientPort=-1\n");
                sb.append("dataDir=").append(cfg.dataDir().toAbsolutePath().resolve("version-2")).append('\n');
                sb.append("dataDirSize=").append(dirSize(cfg.dataDir())).append('\n');
                sb.append("dataLogDir=").append(cfg.dataLogDir().toAbsolutePath().resolve("version-2")).append('\n');
                sb.append("dataLogSize=").append(dirSize(cfg.dataLogDir())).append('\n');
                sb.append("tickTime=").append(cfg.tickTime()).append('\n');
                sb.append("maxClientCnxns=").append(cfg.maxClientCnxns()).append('\n');
                sb.append("minSessionTimeout=").append(cfg.minSessionTimeout()).append('\n');
                sb.append("maxSessionTimeout=").append(cfg.maxSessionTimeout()).append('\n');
                sb.append("clientPortListenBacklog=-1\n");
                sb.append("serverId=").append(cfg.serverId()).append('\n');
            }
            case "cons" -> {
                for (ClientConnection c : core.connections()) sb.append(' ').append(connInfo(c, true)).append('\n');
                sb.append('\n');
            }
            case "envi" -> {
                sb.append("Environment:\n");
                env(sb, "zookeeper.version", VERSION);
                env(sb, "host.name", "localhost");
                for (String p : new String[] {"java.version", "java.vendor", "java.home", "java.class.path",
                        "java.library.path", "java.io.tmpdir", "os.name", "os.arch", "os.version", "user.name",
                        "user.home", "user.dir"}) {
                    env(sb, p, System.getProperty(p, "<NA>"));
                }
                Runtime rt = Runtime.getRuntime();
                env(sb, "os.memory.free", rt.freeMemory() / (1024 * 1024) + "MB");
                env(sb, "os.memory.max", rt.maxMemory() / (1024 * 1024) + "MB");
                env(sb, "os.memory.total", rt.totalMemory() / (1024 * 1024) + "MB");
            }
            default -> sb.append(cmd).append(" is not supported by this server.\n");
        }
        return sb.toString();
    }

    private static double avg(double v) {
        return Math.round(v * 10000) / 10000.0;
    }

    private static long dirSize(java.nio.file.Path dir) {
        try (var files = java.nio.file.Files.list(dir.resolve("version-2"))) {
            return files.mapToLong(p -> p.toFile().length()).sum();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static void line(StringBuilder sb, String k, Object v) {
        sb.append(k).append('\t').append(v).append('\n');
    }

    private static void env(StringBuilder sb, String k, String v) {
        sb.append(k).append('=').append(v).append('\n');
    }

    private static String connInfo(ClientConnection c, boolean brief) {
        var sb = new StringBuilder();
        sb.append('/').append(c.remote.getAddress().getHostAddress()).append(':').append(c.remote.getPort())
                .append("[1](queued=").append(c.pending.size()).append(",recved=").append(c.packetsReceived)
                .append(",sent=").append(c.packetsSent);
        if (brief) {
            long count = c.latencyCount;
            sb.append(",sid=0x").append(Long.toHexString(c.sessionId))
                    .append(",lop=").append(c.lastOp)
                    .append(",est=").append(c.established)
                    .append(",to=").append(c.timeoutMs)
                    .append(",lcxid=0x").append(Long.toHexString(c.lastCxid))
                    .append(",lzxid=0x").append(Long.toHexString(c.lastZxid))
                    .append(",lresp=").append(c.lastResponse)
                    .append(",llat=").append(c.lastLatency)
                    .append(",minlat=").append(count == 0 ? 0 : c.minLatency)
                    .append(",avglat=").append(count == 0 ? 0 : c.totalLatency / count)
                    .append(",maxlat=").append(c.maxLatency);
        }
        return sb.append(')').toString();
    }

    static String timestamp(long millis) {
        return new SimpleDateFormat("yyyy-MM-dd HH:mm:ss").format(new Date(millis));
    }
}
