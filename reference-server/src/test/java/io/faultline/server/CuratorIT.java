package io.faultline.server;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.atomic.AtomicValue;
import org.apache.curator.framework.recipes.atomic.DistributedAtomicLong;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.recipes.queue.DistributedQueue;
import org.apache.curator.framework.recipes.queue.QueueBuilder;
import org.apache.curator.framework.recipes.queue.QueueConsumer;
import org.apache.curator.framework.recipes.queue.QueueSerializer;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.retry.RetryNTimes;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Curator 5 recipes with two contending clients against the reference server. */
class CuratorIT {
    static ZkServer server;
    static String connect;
    CuratorFramework c1, c2;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestServer.start(TestServer.tempDir("curator"), "127.0.1.4");
        connect = "127.0.1.4:" + server.port();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) server.close();
    }

    @BeforeEach
    void clients() throws Exception {
        c1 = client();
        c2 = client();
    }

    @AfterEach
    void close() {
        c1.close();
        c2.close();
    }

    static CuratorFramework client() throws Exception {
        CuratorFramework c = CuratorFrameworkFactory.newClient(connect, 10_000, 5_000, new ExponentialBackoffRetry(100, 3));
        c.start();
        assertTrue(c.blockUntilConnected(10, TimeUnit.SECONDS));
        return c;
    }

    @Test
    void interProcessMutexIsExclusive() throws Exception {
        var inside = new AtomicInteger();
        var maxInside = new AtomicInteger();
        var total = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (CuratorFramework c : List.of(c1, c2)) {
                fs.add(pool.submit(() -> {
                    var mutex = new InterProcessMutex(c, "/locks/m");
                    for (int i = 0; i < 10; i++) {
                        mutex.acquire();
                        try {
                            maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            total.incrementAndGet();
                            Thread.sleep(2);
                            inside.decrementAndGet();
                        } finally {
                            mutex.release();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, maxInside.get());
        assertEquals(20, total.get());
    }

    @Test
    void leaderLatchElectsOneAndFailsOver() throws Exception {
        var l1 = new LeaderLatch(c1, "/latch", "one");
        var l2 = new LeaderLatch(c2, "/latch", "two");
        l1.start();
        l2.start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (!(l1.hasLeadership() || l2.hasLeadership()) && System.currentTimeMillis() < deadline) Thread.sleep(20);
        assertTrue(l1.hasLeadership() ^ l2.hasLeadership());
        LeaderLatch leader = l1.hasLeadership() ? l1 : l2;
        LeaderLatch other = leader == l1 ? l2 : l1;
        leader.close();
        assertTrue(other.await(10, TimeUnit.SECONDS));
        other.close();
    }

    @Test
    void distributedAtomicLongCountsEveryIncrement() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (CuratorFramework c : List.of(c1, c2)) {
                fs.add(pool.submit(() -> {
                    var counter = new DistributedAtomicLong(c, "/counter", new RetryNTimes(1000, 1));
                    for (int i = 0; i < 25; i++) {
                        AtomicValue<Long> v = counter.increment();
                        assertTrue(v.succeeded());
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(50L, new DistributedAtomicLong(c1, "/counter", new RetryNTimes(3, 10)).get().postValue());
    }

    @Test
    void curatorCacheSeesChangesFromTheOtherClient() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        var cache = CuratorCache.build(c1, "/cache");
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreates(n -> seen.add("create " + n.getPath()))
                .forChanges((o, n) -> seen.add("change " + n.getPath() + " " + new String(n.getData(), StandardCharsets.UTF_8)))
                .forDeletes(n -> seen.add("delete " + n.getPath()))
                .build());
        var initialized = new CountDownLatch(1);
        cache.listenable().addListener(CuratorCacheListener.builder().forInitialized(initialized::countDown).build());
        cache.start();
        assertTrue(initialized.await(10, TimeUnit.SECONDS));
        // step by step: the cache reads a node after its event, so a change racing that read is folded in
        c2.create().creatingParentsIfNeeded().forPath("/cache/a", "1".getBytes(StandardCharsets.UTF_8));
        assertEquals("create /cache", seen.poll(10, TimeUnit.SECONDS));
        assertEquals("create /cache/a", seen.poll(10, TimeUnit.SECONDS));
        c2.setData().forPath("/cache/a", "2".getBytes(StandardCharsets.UTF_8));
        assertEquals("change /cache/a 2", seen.poll(10, TimeUnit.SECONDS));
        c2.delete().forPath("/cache/a");
        assertEquals("delete /cache/a", seen.poll(10, TimeUnit.SECONDS));
        cache.close();
    }

    @Test
    void distributedQueueDeliversEveryItemOnce() throws Exception {
        BlockingQueue<String> consumed = new LinkedBlockingQueue<>();
        QueueSerializer<String> ser = new QueueSerializer<>() {
            public byte[] serialize(String item) { return item.getBytes(StandardCharsets.UTF_8); }
            public String deserialize(byte[] bytes) { return new String(bytes, StandardCharsets.UTF_8); }
        };
        QueueConsumer<String> consumer = new QueueConsumer<>() {
            public void consumeMessage(String message) { consumed.add(message); }
            public void stateChanged(CuratorFramework client, ConnectionState newState) { }
        };
        DistributedQueue<String> producer = QueueBuilder.builder(c1, null, ser, "/queue").buildQueue();
        DistributedQueue<String> consumerQueue = QueueBuilder.builder(c2, consumer, ser, "/queue").lockPath("/queue-lock").buildQueue();
        producer.start();
        consumerQueue.start();
        for (int i = 0; i < 20; i++) producer.put("item" + i);
        var got = new ArrayList<String>();
        while (got.size() < 20) {
            String s = consumed.poll(20, TimeUnit.SECONDS);
            assertNotNull(s, "consumed so far " + got);
            got.add(s);
        }
        assertEquals(20, got.stream().distinct().count());
        producer.close();
        consumerQueue.close();
    }

    @Test
    void creatingParentContainersIfNeededAndTransactions() throws Exception {
        c1.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL).forPath("/containers/x/y/leaf");
        assertNotNull(c2.checkExists().forPath("/containers/x/y/leaf"));
        var results = c2.transaction().forOperations(
                c2.transactionOp().create().forPath("/tx", "a".getBytes(StandardCharsets.UTF_8)),
                c2.transactionOp().setData().forPath("/tx", "b".getBytes(StandardCharsets.UTF_8)));
        assertEquals(2, results.size());
        assertEquals("b", new String(c1.getData().forPath("/tx"), StandardCharsets.UTF_8));
        c2.create().creatingParentsIfNeeded().forPath("/tree/a/b/c");
        c2.delete().deletingChildrenIfNeeded().forPath("/tree");
        assertNull(c1.checkExists().forPath("/tree"));
    }
}
