package io.faultline.workloads.workload;

import io.faultline.checker.Checker;
import io.faultline.checker.history.OpType;
import io.faultline.workloads.client.ClientFactory;
import io.faultline.workloads.client.Completion;
import io.faultline.workloads.gen.Gen;
import io.faultline.workloads.gen.Generator;
import io.faultline.workloads.gen.Invocation;
import io.faultline.workloads.zk.ZkClients;
import io.faultline.workloads.zk.ZkSession.Reply;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.zookeeper.KeeperException.Code;

/** A counter in one znode: add = getData + setData(version), retried on BadVersion; reads getData (after sync in sync mode). */
public final class CounterWorkload implements Workload {
    static final int MAX_ATTEMPTS = 10;

    @Override public String name() { return "counter"; }

    @Override public String description() { return "counter: increments by CAS on a znode's version, reads"; }

    @Override
    public ClientFactory clients(WorkloadOptions o) {
        return ZkClientBase.factory(o, o.root() + "/counter", "value", ZkClients.encode(0), (s, dir) -> new ZkClientBase(s, dir) {
            final String path = dir + "/value";

            @Override Set<String> readOnly() { return Set.of("read"); }

            @Override
            Completion perform(Invocation op) throws Exception {
                if (op.f().equals("read")) {
                    // plain reads may be stale (ZooKeeper's sequential consistency), so the counter checker's
                    // lower bound holds only for sync reads (or reads the leader serves)
                    if (o.readMode().equals("sync")) {
                        Reply sync = s.sync(path);
                        if (!sync.ok()) return ZkClients.error(null, sync.code(), false, s, sync.zxid()).with("read-mode", o.readMode());
                    }
                    Reply r = s.getData(path, false);
                    if (!r.ok()) return ZkClients.error(null, r.code(), false, s, r.zxid()).with("read-mode", o.readMode());
                    return ZkClients.ok(ZkClients.decode(r.data()), s, r.zxid(), Map.of("mzxid", r.stat().getMzxid(),
                            "version", r.stat().getVersion(), "read-mode", o.readMode()));
                }
                long delta = ((Number) op.value()).longValue();
                for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                    Reply r = s.getData(path, false);
                    if (!r.ok()) return ZkClients.error(delta, r.code(), false, s, r.zxid()); // nothing written yet
                    Long current = ZkClients.decode(r.data());
                    Reply w = s.setData(path, ZkClients.encode((current == null ? 0 : current) + delta), r.stat().getVersion());
                    if (w.ok()) return ZkClients.ok(delta, s, w.zxid(), Map.of("mzxid", w.stat().getMzxid(), "version", w.stat().getVersion()));
                    if (w.code() != Code.BADVERSION) return ZkClients.error(delta, w.code(), true, s, w.zxid());
                }
                return new Completion(OpType.FAIL, delta, s.node(), s.sessionId(), null, Map.of("error", "gave-up"));
            }
        });
    }

    @Override
    public Generator generator(WorkloadOptions o) {
        return Gen.mix(Gen.repeat(r -> Invocation.of("add", 1L)), Gen.repeat(r -> Invocation.of("add", 1L)),
                Gen.repeat(r -> Invocation.of("read", null)));
    }

    @Override
    public Generator finalGenerator(WorkloadOptions o) {
        return Gen.eachThread(t -> Gen.once(Invocation.of("read", null)));
    }

    @Override
    public List<Checker> checkers(WorkloadOptions o) {
        return CheckerSupport.registered("counter", "session", "stats");
    }
}
