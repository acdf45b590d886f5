package io.faultline.workloads.workload;

import io.faultline.checker.Checker;
import io.faultline.checker.history.OpType;
import io.faultline.workloads.client.Client;
import io.faultline.workloads.client.ClientFactory;
import io.faultline.workloads.client.Completion;
import io.faultline.workloads.client.EventSink;
import io.faultline.workloads.gen.Gen;
import io.faultline.workloads.gen.Generator;
import io.faultline.workloads.gen.Invocation;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryNTimes;

/**
 * Curator's InterProcessMutex, one Curator client (one session) per worker: each worker acquires,
 * holds briefly, releases. Session loss is recorded (SUSPENDED = assume lost) so the lock checker
 * stops counting the holder.
 */
public final class LockWorkload implements Workload {
    @Override public String name() { return "lock"; }

    @Override public String description() { return "lock: Curator InterProcessMutex acquire/release; mutual exclusion"; }

    @Override
    public ClientFactory clients(WorkloadOptions o) {
        String path = o.root() + "/lock";
        return (worker, process, events) -> new LockClient(o, o.endpointFor(worker), path, events);
    }

    static final class LockClient implements Client {
        private final CuratorFramework curator;
        private final InterProcessMutex mutex;
        private final Endpoint endpoint;
        private final WorkloadOptions o;
        private final EventSink events;
        private volatile boolean lost;

        LockClient(WorkloadOptions o, Endpoint e, String path, EventSink events) throws Exception {
            this.o = o;
            this.endpoint = e;
            this.events = events;
            curator = CuratorFrameworkFactory.builder().connectString(e.connectString())
                    .sessionTimeoutMs((int) o.sessionTimeout().toMillis())
                    .connectionTimeoutMs((int) o.opTimeout().toMillis())
                    .retryPolicy(new RetryNTimes(0, 0)).build();
            curator.getConnectionStateListenable().addListener((c, state) -> {
                if (state == ConnectionState.SUSPENDED || state == ConnectionState.LOST) {
                    lost = true;
                    events.event("session-event", sessionId(), endpoint.node(),
                            Map.of("state", state == ConnectionState.LOST ? "Expired" : "Disconnected"));
                }
            });
            curator.start();
            if (!curator.blockUntilConnected((int) o.opTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                curator.close();
                throw new java.io.IOException("could not connect to " + e.node());
            }
            mutex = new InterProcessMutex(curator, path);
        }

        @Override
        public Completion invoke(Invocation op) throws Exception {
            return switch (op.f()) {
                case "acquire" -> {
                    boolean got = mutex.acquire(o.opTimeout().toMillis(), TimeUnit.MILLISECONDS);
                    yield got ? new Completion(OpType.OK, null, endpoint.node(), sessionId(), null,
                            Map.of("session-timeout-ms", curator.getZookeeperClient().getZooKeeper().getSessionTimeout()))
                            : new Completion(OpType.FAIL, null, endpoint.node(), sessionId(), null, Map.of("error", "timeout"));
                }
                case "release" -> {
                    if (!mutex.isAcquiredInThisProcess()) {
                        yield new Completion(OpType.FAIL, null, endpoint.node(), sessionId(), null, Map.of("error", "not-held"));
                    }
                    mutex.release();
                    yield new Completion(OpType.OK, null, endpoint.node(), sessionId(), null, Map.of());
                }
                default -> throw new IllegalArgumentException("lock has no op " + op.f());
            };
        }

        @Override
        public Long sessionId() {
            try {
                return curator.getZookeeperClient().getZooKeeper().getSessionId();
            } catch (Exception e) {
                return null;
            }
        }

        @Override public String node() { return endpoint.node(); }

        /** After a suspended or lost connection the lock may be gone: start over with a new session. */
        @Override public boolean broken() { return lost; }

        /**
         * Closing the client gives the lock up (its session and lock node go): recorded as a session loss
         * first, so the lock checker ends this session's hold here and not at the end of the history.
         */
        @Override
        public void close() {
            Long session = sessionId();
            if (session != null && session != 0) events.event("session-event", session, endpoint.node(), Map.of("state", "Closed"));
            curator.close();
        }
    }

    @Override
    public Generator generator(WorkloadOptions o) {
        return Gen.eachThread(t -> Gen.cycle(() -> Gen.seq(List.of(Invocation.of("acquire", null), Invocation.of("release", null)))));
    }

    @Override public Generator finalGenerator(WorkloadOptions o) { return null; }

    @Override
    public List<Checker> checkers(WorkloadOptions o) {
        return CheckerSupport.registered("lock", "stats");
    }
}
