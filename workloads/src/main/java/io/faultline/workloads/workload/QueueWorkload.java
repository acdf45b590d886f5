package io.faultline.workloads.workload;

import io.faultline.checker.Checker;
import io.faultline.checker.history.OpType;
import io.faultline.workloads.client.ClientFactory;
import io.faultline.workloads.client.Completion;
import io.faultline.workloads.gen.Gen;
import io.faultline.workloads.gen.Generator;
import io.faultline.workloads.gen.Invocation;
import io.faultline.workloads.zk.ZkClients;
import io.faultline.workloads.zk.ZkSession;
import io.faultline.workloads.zk.ZkSession.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;

/**
 * The ZooKeeper queue recipe: enqueue = sequential create; dequeue = lowest child, getData, delete
 * (next child if someone else took it); drain (final phase) dequeues until empty.
 */
public final class QueueWorkload implements Workload {
    @Override public String name() { return "queue"; }

    @Override public String description() { return "queue: sequential-znode queue recipe (enqueue, dequeue, final drain)"; }

    /** What a dequeue attempt got: the last reply, the element (null: empty or error), whether a delete was sent. */
    record Taken(Reply reply, Object value, boolean deleteSent) {}

    /** Takes the lowest element. */
    static Taken dequeueOne(ZkSession s, String dir) throws Exception {
        Reply kids = s.children(dir, false);
        if (!kids.ok()) return new Taken(kids, null, false);
        List<String> sorted = new ArrayList<>(kids.children());
        sorted.sort(String::compareTo);
        for (String child : sorted) {
            Reply d = s.getData(dir + "/" + child, false);
            if (d.code() == Code.NONODE) continue;
            if (!d.ok()) return new Taken(d, null, false);
            Reply del = s.delete(dir + "/" + child, d.stat().getVersion());
            if (del.code() == Code.NONODE || del.code() == Code.BADVERSION) continue; // another worker took it
            return new Taken(del, del.ok() ? ZkClients.decode(d.data()) : null, true);
        }
        return new Taken(kids, null, false);
    }

    @Override
    public ClientFactory clients(WorkloadOptions o) {
        return ZkClientBase.factory(o, o.root() + "/queue", null, null, (s, dir) -> new ZkClientBase(s, dir) {
            @Override Set<String> readOnly() { return Set.of(); }

            @Override
            Completion perform(Invocation op) throws Exception {
                switch (op.f()) {
                    case "enqueue" -> {
                        long e = ((Number) op.value()).longValue();
                        Reply r = s.create(dir + "/q-", ZkClients.encode(e), CreateMode.PERSISTENT_SEQUENTIAL);
                        return r.ok() ? ZkClients.ok(e, s, r.zxid(), Map.of()) : ZkClients.error(e, r.code(), true, s, r.zxid());
                    }
                    case "dequeue" -> {
                        Taken t = dequeueOne(s, dir);
                        if (!t.reply().ok()) return ZkClients.error(null, t.reply().code(), t.deleteSent(), s, t.reply().zxid());
                        if (t.value() == null) return new Completion(OpType.FAIL, null, s.node(), s.sessionId(), t.reply().zxid(), Map.of("error", "empty"));
                        return ZkClients.ok(t.value(), s, t.reply().zxid(), Map.of());
                    }
                    case "drain" -> {
                        List<Object> all = new ArrayList<>();
                        long zxid = 0;
                        while (true) {
                            Taken t = dequeueOne(s, dir);
                            // a drain that removed something and then lost the connection is indeterminate
                            if (!t.reply().ok()) return ZkClients.error(all, t.reply().code(), true, s, t.reply().zxid());
                            zxid = t.reply().zxid();
                            if (t.value() == null) break;
                            all.add(t.value());
                        }
                        return ZkClients.ok(all, s, zxid, Map.of());
                    }
                    default -> throw new IllegalArgumentException("queue has no op " + op.f());
                }
            }
        });
    }

    @Override
    public Generator generator(WorkloadOptions o) {
        AtomicLong next = new AtomicLong();
        return Gen.mix(Gen.repeat(r -> Invocation.of("enqueue", next.incrementAndGet())), Gen.repeat(r -> Invocation.of("dequeue", null)));
    }

    @Override
    public Generator finalGenerator(WorkloadOptions o) {
        return Gen.once(Invocation.of("drain", null));
    }

    @Override
    public List<Checker> checkers(WorkloadOptions o) {
        return CheckerSupport.registered("queue", "session", "stats");
    }
}
