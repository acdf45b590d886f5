package io.faultline.workloads.workload;

import io.faultline.checker.Checker;
import io.faultline.workloads.client.ClientFactory;
import io.faultline.workloads.client.Completion;
import io.faultline.workloads.gen.Gen;
import io.faultline.workloads.gen.Generator;
import io.faultline.workloads.gen.Invocation;
import io.faultline.workloads.zk.ZkClients;
import io.faultline.workloads.zk.ZkSession.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.zookeeper.CreateMode;

/** Jepsen's set-full: unique elements added as sequential znodes; reads list the children; a final read. */
public final class SetWorkload implements Workload {
    @Override public String name() { return "set"; }

    @Override public String description() { return "set: add unique elements (sequential creates), read the children; final read"; }

    @Override
    public ClientFactory clients(WorkloadOptions o) {
        return ZkClientBase.factory(o, o.root() + "/set", null, null, (s, dir) -> new ZkClientBase(s, dir) {
            @Override Set<String> readOnly() { return Set.of("read"); }

            @Override
            Completion perform(Invocation op) throws Exception {
                if (op.f().equals("add")) {
                    long e = ((Number) op.value()).longValue();
                    Reply r = s.create(dir + "/" + e + "-", ZkClients.encode(e), CreateMode.PERSISTENT_SEQUENTIAL);
                    return r.ok() ? ZkClients.ok(e, s, r.zxid(), Map.of()) : ZkClients.error(e, r.code(), true, s, r.zxid());
                }
                Reply r = s.children(dir, false);
                if (!r.ok()) return ZkClients.error(null, r.code(), false, s, r.zxid());
                List<Long> elements = new ArrayList<>();
                for (String child : r.children()) elements.add(Long.parseLong(child.substring(0, child.indexOf('-'))));
                return ZkClients.ok(elements, s, r.zxid(), Map.of());
            }
        });
    }

    @Override
    public Generator generator(WorkloadOptions o) {
        AtomicLong next = new AtomicLong();
        return Gen.mix(Gen.repeat(r -> Invocation.of("add", next.incrementAndGet())),
                Gen.repeat(r -> Invocation.of("add", next.incrementAndGet())),
                Gen.repeat(r -> Invocation.of("add", next.incrementAndGet())),
                Gen.repeat(r -> Invocation.of("read", null)));
    }

    @Override
    public Generator finalGenerator(WorkloadOptions o) {
        return Gen.eachThread(t -> Gen.once(Invocation.of("read", null)));
    }

    @Override
    public List<Checker> checkers(WorkloadOptions o) {
        return CheckerSupport.registered("set", "session", "stats");
    }
}
