package io.faultline.server;

import io.faultline.server.txn.Txn;

/**
 * The commit stage between prepare and apply. {@link #submit} is called on the core thread with strictly
 * increasing zxids; the implementation makes the txn durable (standalone: log + fsync; ZAB: quorum) and then
 * calls {@link ServerCore#deliverCommitted(Txn)} in zxid order.
 */
public interface TxnCommitter extends AutoCloseable {
    void submit(Txn txn);

    @Override
    default void close() {}
}
