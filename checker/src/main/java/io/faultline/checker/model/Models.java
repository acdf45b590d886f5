package io.faultline.checker.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/** The models by name (--model NAME). */
public final class Models {
    private static final Map<String, Function<ModelConfig, Model>> MODELS = new LinkedHashMap<>();

    static {
        MODELS.put("register", RegisterModel::new);
        MODELS.put("cas-register", CasRegisterModel::new);
        MODELS.put("multi-register", MultiRegisterModel::new);
        MODELS.put("mutex", MutexModel::new);
        MODELS.put("set", SetModel::new);
        MODELS.put("fifo-queue", FifoQueueModel::new);
        MODELS.put("unordered-queue", UnorderedQueueModel::new);
        MODELS.put("kv", KvModel::new);
        MODELS.put("porcupine-kv", KvModel::new);
        MODELS.put("zk-versioned-register", ZkVersionedRegisterModel::new);
    }

    private Models() {
    }

    public static Model create(String name, ModelConfig config) {
        var f = MODELS.get(name);
        if (f == null) throw new IllegalArgumentException("unknown model '" + name + "'; known: " + String.join(", ", names()));
        return f.apply(config);
    }

    public static Set<String> names() {
        return new TreeSet<>(MODELS.keySet());
    }
}
