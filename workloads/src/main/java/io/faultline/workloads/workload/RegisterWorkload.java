package io.faultline.workloads.workload;

import io.faultline.checker.Checker;
import io.faultline.checker.CheckerOptions;
import io.faultline.checker.history.Op;
import io.faultline.checker.model.NilReads;
import io.faultline.workloads.client.Client;
import io.faultline.workloads.client.ClientFactory;
import io.faultline.workloads.client.Completion;
import io.faultline.workloads.gen.GenContext;
import io.faultline.workloads.gen.Generator;
import io.faultline.workloads.gen.Invocation;
import io.faultline.workloads.gen.Step;
import io.faultline.workloads.runner.Interpreter;
import io.faultline.workloads.zk.ZkClients;
import io.faultline.workloads.zk.ZkSession;
import io.faultline.workloads.zk.ZkSession.Reply;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;

/**
 * Jepsen's register over independent keys: each key is a znode; write = setData (create if
 * missing), cas = getData + setData with the read version, read = getData in the chosen read mode.
 * Written values are unique per test, so every read maps to one write.
 */
public final class RegisterWorkload implements Workload {
    @Override public String name() { return "register"; }

    @Override
    public String description() {
        return "independent CAS registers: read/write/cas on znodes (setData with version); reads plain | sync | leader";
    }

    @Override
    public ClientFactory clients(WorkloadOptions o) {
        String dir = o.root() + "/register";
        return ZkClientBase.factory(o, dir, null, null, (s, d) -> new RegisterClient(s, d, o.readMode(), o.leader()));
    }

    @Override
    public Generator generator(WorkloadOptions o) {
        return new RegisterGenerator(o.opsPerKey());
    }

    @Override
    public Generator finalGenerator(WorkloadOptions o) {
        return null;
    }

    @Override
    public List<Checker> checkers(WorkloadOptions o) {
        List<Checker> out = new ArrayList<>();
        CheckerOptions lin = CheckerOptions.forModel("cas-register").withNilReads(NilReads.STRICT);
        // ZooKeeper promises linearizable writes; reads only when synced or served by the leader.
        // Plain reads are checked by the session checker (sequential consistency), not here.
        out.add(CheckerSupport.perKey("linearizable", CheckerSupport.filtered("linearizable",
                CheckerSupport.registered("linearizable", lin).orElseThrow(), RegisterWorkload::linearizablePart)));
        out.addAll(CheckerSupport.registered("session", "stats"));
        return out;
    }

    /** Writes, cas, and the reads ZooKeeper documents as up to date (sync+read, leader reads). */
    static boolean linearizablePart(Op op) {
        if (op.process() >= Interpreter.EVENT_PROCESS_BASE || op.isNemesis()) return false;
        if (!op.f().equals("read")) return op.f().equals("write") || op.f().equals("cas");
        Object mode = op.get("read-mode");
        return "sync".equals(mode) || "leader".equals(mode);
    }

    /** read / write / cas in equal parts; each key gets opsPerKey ops, then the next key. */
    static final class RegisterGenerator implements Generator {
        private final int opsPerKey;
        private long emitted;
        private long nextValue = 1;
        private final long[] recent = new long[4];

        RegisterGenerator(int opsPerKey) {
            this.opsPerKey = Math.max(1, opsPerKey);
        }

        @Override
        public Step next(GenContext ctx, int thread) {
            long key = emitted++ / opsPerKey;
            if (emitted % opsPerKey == 1) java.util.Arrays.fill(recent, 0);
            Invocation op = switch (ctx.random().nextInt(3)) {
                case 0 -> new Invocation("read", null, key);
                case 1 -> {
                    long v = nextValue++;
                    recent[(int) (v % recent.length)] = v;
                    yield new Invocation("write", v, key);
                }
                default -> {
                    long expected = recent[ctx.random().nextInt(recent.length)];
                    long v = nextValue++;
                    recent[(int) (v % recent.length)] = v;
                    yield new Invocation("cas", List.of(expected, v), key);
                }
            };
            return Step.emit(op);
        }
    }

    static final class RegisterClient implements Client, Interpreter.ReadModeAware {
        private final ZkSession s;
        private final String dir;
        private final String readMode;
        private final Supplier<Endpoint> leader;
        private boolean timedOut;
        private boolean leaderMoved;

        RegisterClient(ZkSession s, String dir, String readMode, Supplier<Endpoint> leader) {
            this.s = s;
            this.dir = dir;
            this.readMode = readMode;
            this.leader = leader;
        }

        @Override public String readMode() { return readMode; }
        @Override public Long sessionId() { return s.sessionId(); }
        @Override public String node() { return s.node(); }
        @Override public void completionRecorded() { s.completionRecorded(); }

        @Override
        public Completion invoke(Invocation op) throws Exception {
            String path = dir + "/" + op.key();
            return switch (op.f()) {
                case "read" -> {
                    try {
                        yield read(path);
                    } catch (ZkSession.OpTimeoutException e) {
                        // a read changes nothing: a timeout is a definite failure; start a fresh session
                        timedOut = true;
                        yield new Completion(io.faultline.checker.history.OpType.FAIL, null, s.node(), s.sessionId(),
                                null, Map.of("error", "timeout", "read-mode", readMode));
                    }
                }
                case "write" -> write(path, (Long) op.value());
                case "cas" -> cas(path, op.value());
                default -> throw new IllegalArgumentException("register has no op " + op.f());
            };
        }

        private Completion read(String path) throws Exception {
            Map<String, Object> extra = new HashMap<>();
            extra.put("read-mode", readMode);
            if (readMode.equals("leader") && !servedByLeader()) {
                // the session's server is no longer (or not certainly) the leader, e.g. after a failover the
                // client reconnected to the old leader, now a follower: a read there is no leader read
                leaderMoved = true;
                return new Completion(io.faultline.checker.history.OpType.FAIL, null, s.node(), s.sessionId(), null,
                        Map.of("error", "not-leader", "read-mode", readMode));
            }
            if (readMode.equals("sync")) {
                Reply sync = s.sync(path);
                if (!sync.ok()) return ZkClients.error(null, sync.code(), false, s, sync.zxid()).with("read-mode", readMode);
                extra.put("sync-zxid", sync.zxid());
            }
            Reply r = s.getData(path, false);
            if (r.code() == Code.NONODE) {
                extra.put("mzxid", 0L);
                extra.put("version", -1);
                return ZkClients.ok(null, s, r.zxid(), extra);
            }
            if (!r.ok()) return ZkClients.error(null, r.code(), false, s, r.zxid()).with("read-mode", readMode);
            extra.put("mzxid", r.stat().getMzxid());
            extra.put("version", r.stat().getVersion());
            return ZkClients.ok(ZkClients.decode(r.data()), s, r.zxid(), extra);
        }

        private Completion write(String path, long v) throws Exception {
            for (int attempt = 0; attempt < 3; attempt++) {
                Reply r = s.setData(path, ZkClients.encode(v), -1);
                if (r.ok()) return ZkClients.ok(v, s, r.zxid(), Map.of("mzxid", r.stat().getMzxid(), "version", r.stat().getVersion()));
                if (r.code() != Code.NONODE) return ZkClients.error(v, r.code(), true, s, r.zxid());
                Reply c = s.create(path, ZkClients.encode(v), CreateMode.PERSISTENT);
                if (c.ok()) return ZkClients.ok(v, s, c.zxid(), Map.of("mzxid", c.stat().getMzxid(), "version", c.stat().getVersion()));
                if (c.code() != Code.NODEEXISTS) return ZkClients.error(v, c.code(), true, s, c.zxid());
                // someone created it meanwhile: setData again
            }
            return new Completion(io.faultline.checker.history.OpType.FAIL, v, s.node(), s.sessionId(), null, Map.of("error", "gave-up"));
        }

        private Completion cas(String path, Object value) throws Exception {
            List<?> ev = (List<?>) value;
            long expected = ((Number) ev.get(0)).longValue();
            long next = ((Number) ev.get(1)).longValue();
            Reply r = s.getData(path, false);
            if (r.code() == Code.NONODE) return ZkClients.error(value, Code.NONODE, true, s, r.zxid());
            if (!r.ok()) return ZkClients.error(value, r.code(), false, s, r.zxid()); // nothing written yet: definite
            if (!Objects.equals(ZkClients.decode(r.data()), expected)) {
                return new Completion(io.faultline.checker.history.OpType.FAIL, value, s.node(), s.sessionId(),
                        r.zxid() > 0 ? r.zxid() : null, Map.of("error", "mismatch"));
            }
            Reply w = s.setData(path, ZkClients.encode(next), r.stat().getVersion());
            if (w.ok()) return ZkClients.ok(value, s, w.zxid(), Map.of("mzxid", w.stat().getMzxid(), "version", w.stat().getVersion()));
            return ZkClients.error(value, w.code(), true, s, w.zxid());
        }

        /** Whether the single node that reports itself leader right now is the one this session talks to. */
        private boolean servedByLeader() {
            Endpoint l = leader == null ? null : leader.get();
            return l != null && l.node().equals(s.node());
        }

        /** Also broken when the leader moved: the worker reconnects to the new one. */
        @Override
        public boolean broken() {
            return timedOut || leaderMoved || s.expired();
        }

        @Override
        public void close() {
            s.close();
        }
    }
}
