package io.faultline.workloads.workload;

import io.faultline.checker.history.OpType;
import io.faultline.workloads.client.Client;
import io.faultline.workloads.client.ClientFactory;
import io.faultline.workloads.client.Completion;
import io.faultline.workloads.client.EventSink;
import io.faultline.workloads.gen.Invocation;
import io.faultline.workloads.zk.ZkSession;
import java.util.Map;
import java.util.Set;

/** Common parts of the ZooKeeper workload clients: one session, read timeouts are fail, write timeouts info. */
abstract class ZkClientBase implements Client {
    protected final ZkSession s;
    protected final String dir;
    private boolean timedOut;

    ZkClientBase(ZkSession s, String dir) {
        this.s = s;
        this.dir = dir;
    }

    /** The ops that change nothing (a timeout on them is a definite failure). */
    abstract Set<String> readOnly();

    abstract Completion perform(Invocation op) throws Exception;

    @Override
    public final Completion invoke(Invocation op) throws Exception {
        try {
            return perform(op);
        } catch (ZkSession.OpTimeoutException e) {
            timedOut = true;
            if (!readOnly().contains(op.f())) throw e; // the worker records info
            return new Completion(OpType.FAIL, null, s.node(), s.sessionId(), null, Map.of("error", "timeout"));
        }
    }

    @Override public Long sessionId() { return s.sessionId(); }
    @Override public String node() { return s.node(); }
    @Override public boolean broken() { return timedOut || s.expired(); }
    @Override public void completionRecorded() { s.completionRecorded(); }
    @Override public void close() { s.close(); }

    interface Opener {
        Client open(ZkSession s, String dir) throws Exception;
    }

    /** A factory that makes {@code dir} (and {@code init} in it, if given) once, then one session per worker. */
    static ClientFactory factory(WorkloadOptions o, String dir, String initChild, byte[] initData, Opener opener) {
        return new ClientFactory() {
            @Override
            public void setUp() throws Exception {
                Endpoint e = o.endpoints().getFirst();
                try (ZkSession s = ZkSession.open(e.connectString(), e.node(), o.sessionTimeout(), o.sessionTimeout(),
                        o.opTimeout(), EventSink.NONE)) {
                    s.ensurePath(dir);
                    if (initChild != null) s.create(dir + "/" + initChild, initData, org.apache.zookeeper.CreateMode.PERSISTENT);
                }
            }

            @Override
            public Client open(int worker, long process, EventSink events) throws Exception {
                Endpoint e = o.endpointFor(worker);
                return opener.open(ZkSession.open(e.connectString(), e.node(), o.sessionTimeout(), o.sessionTimeout(),
                        o.opTimeout(), events), dir);
            }
        };
    }
}
