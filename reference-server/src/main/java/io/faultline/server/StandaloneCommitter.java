package io.faultline.server;

import io.faultline.server.persist.TxnLog;
import io.faultline.server.txn.Txn;
import java.io.IOException;
import java.util.ArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Standalone commit: append to the transaction log, fsync once per batch (group commit), then deliver the batch
 * for apply. One platform thread owns the log.
 */
public final class StandaloneCommitter implements TxnCommitter {
    private static final Logger log = LoggerFactory.getLogger(StandaloneCommitter.class);
    private static final int MAX_BATCH = 1000;
    private static final Txn STOP = new Txn(0, 0, 0, 0, new io.faultline.server.txn.TxnBody.ErrorTxn(0));

    private final TxnLog txnLog;
    private final Consumer<Txn> committed;
    private final LinkedBlockingQueue<Txn> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final Runnable onFatal;

    public StandaloneCommitter(TxnLog txnLog, Consumer<Txn> committed, Runnable onFatal) {
        this.txnLog = txnLog;
        this.committed = committed;
        this.onFatal = onFatal;
        this.thread = new Thread(this::run, "txn-log-writer");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void submit(Txn txn) {
        queue.add(txn);
    }

    private void run() {
        var batch = new ArrayList<Txn>(MAX_BATCH);
        try {
            while (true) {
                Txn first = queue.take();
                if (first == STOP) break;
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                boolean stop = batch.remove(STOP);
                for (Txn t : batch) txnLog.append(t);
                txnLog.flush();
                for (Txn t : batch) committed.accept(t);
                batch.clear();
                if (stop) break;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            // a write we cannot make durable must never be acknowledged: stop the server
            log.error("transaction log write failed; shutting down", e);
            onFatal.run();
        } finally {
            try {
                txnLog.close();
            } catch (IOException e) {
                log.warn("closing transaction log", e);
            }
        }
    }

    @Override
    public void close() {
        queue.add(STOP);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
