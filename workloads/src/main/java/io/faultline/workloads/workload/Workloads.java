package io.faultline.workloads.workload;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** Workloads by name (--workload NAME). */
public final class Workloads {
    private static final Map<String, Supplier<Workload>> ALL = new LinkedHashMap<>();

    static {
        ALL.put("register", RegisterWorkload::new);
        ALL.put("set", SetWorkload::new);
        ALL.put("counter", CounterWorkload::new);
        ALL.put("queue", QueueWorkload::new);
        ALL.put("lock", LockWorkload::new);
        ALL.put("session", SessionWorkload::new);
        ALL.put("noop", NoopWorkload::new);
    }

    private Workloads() {}

    public static Workload byName(String name) {
        Supplier<Workload> s = ALL.get(name);
        if (s == null) throw new IllegalArgumentException("unknown workload '" + name + "'; known: " + String.join(", ", names()));
        return s.get();
    }

    public static Set<String> names() {
        return ALL.keySet();
    }
}
