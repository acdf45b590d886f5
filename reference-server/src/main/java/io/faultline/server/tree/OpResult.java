package io.faultline.server.tree;

import java.util.List;
import org.apache.zookeeper.data.Stat;

/** The outcome of applying one transaction body. */
public sealed interface OpResult {
    record Created(String path, Stat stat, int opcode) implements OpResult {}
    record Deleted() implements OpResult {}
    record DataSet(Stat stat) implements OpResult {}
    record AclSet(Stat stat) implements OpResult {}
    record Checked() implements OpResult {}
    record Error(int err) implements OpResult {}
    record Multi(List<OpResult> results) implements OpResult {}
    record SessionCreated() implements OpResult {}
    record SessionClosed() implements OpResult {}
}
