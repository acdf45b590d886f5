package io.faultline.workloads.workload;

import io.faultline.checker.Checker;
import io.faultline.checker.history.OpType;
import io.faultline.workloads.client.ClientFactory;
import io.faultline.workloads.client.Completion;
import io.faultline.workloads.gen.GenContext;
import io.faultline.workloads.gen.Generator;
import io.faultline.workloads.gen.Invocation;
import io.faultline.workloads.gen.Step;
import io.faultline.workloads.zk.ZkClients;
import io.faultline.workloads.zk.ZkSession.Reply;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.zookeeper.CreateMode;

/**
 * Sessions that die and ephemerals watched by others: workers create ephemeral znodes, check
 * (with a watch) ephemerals others created, and now and then close their session; the session
 * checker verifies ephemerals vanish with their session and watches fire.
 */
public final class SessionWorkload implements Workload {
    @Override public String name() { return "session"; }

    @Override public String description() { return "session: ephemerals created, watched by others (exists + watch), sessions closed"; }

    @Override
    public ClientFactory clients(WorkloadOptions o) {
        return ZkClientBase.factory(o, o.root() + "/session", null, null, (s, dir) -> new ZkClientBase(s, dir) {
            boolean closed;

            @Override Set<String> readOnly() { return Set.of("exists"); }

            @Override
            Completion perform(Invocation op) throws Exception {
                String path = (String) op.value(); // full paths, as the session checker matches them with events
                switch (op.f()) {
                    case "create" -> {
                        Reply r = s.create(path, new byte[0], CreateMode.EPHEMERAL);
                        if (!r.ok()) return ZkClients.error(op.value(), r.code(), true, s, r.zxid());
                        Map<String, Object> extra = new HashMap<>();
                        extra.put("ephemeral", true);
                        extra.put("czxid", r.stat().getCzxid());
                        extra.put("session-timeout-ms", s.sessionTimeoutMs());
                        return ZkClients.ok(op.value(), s, r.zxid(), extra);
                    }
                    case "exists" -> {
                        Reply r = s.exists(path, true);
                        Map<String, Object> extra = new HashMap<>();
                        extra.put("read-mode", "plain");
                        extra.put("watch", true);
                        if (r.ok()) {
                            extra.put("czxid", r.stat().getCzxid());
                            return ZkClients.ok(true, s, r.zxid(), extra);
                        }
                        if (r.code() == org.apache.zookeeper.KeeperException.Code.NONODE) return ZkClients.ok(false, s, r.zxid(), extra);
                        return ZkClients.error(null, r.code(), false, s, r.zxid());
                    }
                    case "close-session" -> {
                        long session = s.sessionId();
                        long zxid = s.closeAndLastZxid();
                        closed = true;
                        return new Completion(OpType.OK, null, s.node(), session, zxid > 0 ? zxid : null, Map.of());
                    }
                    default -> throw new IllegalArgumentException("session has no op " + op.f());
                }
            }

            @Override public boolean broken() { return closed || super.broken(); }
        });
    }

    /** create (40%), exists on a recent ephemeral (55%), close-session (5%). Paths are unique names. */
    @Override
    public Generator generator(WorkloadOptions o) {
        String dir = o.root() + "/session";
        return new Generator() {
            long next;
            final List<String> recent = new ArrayList<>();

            @Override
            public Step next(GenContext ctx, int thread) {
                int roll = ctx.random().nextInt(100);
                if (roll < 5) return Step.emit(Invocation.of("close-session", null));
                if (roll < 45 || recent.isEmpty()) {
                    String name = dir + "/e-" + (++next);
                    recent.add(name);
                    if (recent.size() > 20) recent.removeFirst();
                    return Step.emit(Invocation.of("create", name));
                }
                return Step.emit(Invocation.of("exists", recent.get(ctx.random().nextInt(recent.size()))));
            }
        };
    }

    @Override public Generator finalGenerator(WorkloadOptions o) { return null; }

    @Override
    public List<Checker> checkers(WorkloadOptions o) {
        return CheckerSupport.registered("session", "stats");
    }
}
