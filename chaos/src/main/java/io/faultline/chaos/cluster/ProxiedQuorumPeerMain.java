package io.faultline.chaos.cluster;

import javax.security.sasl.SaslException;
import org.apache.zookeeper.server.quorum.MultipleAddresses;
import org.apache.zookeeper.server.quorum.QuorumCnxManager;
import org.apache.zookeeper.server.quorum.QuorumPeer;
import org.apache.zookeeper.server.quorum.QuorumPeerMain;
import org.apache.zookeeper.server.quorum.auth.NullQuorumAuthLearner;
import org.apache.zookeeper.server.quorum.auth.NullQuorumAuthServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apache ZooKeeper's {@link QuorumPeerMain}, unchanged except for one address choice, so that every
 * peer link passes through its proxy.
 *
 * <p>Why: ZooKeeper keeps only the election connection dialled by the larger sid. When a smaller
 * sid dials, the larger one hangs up and dials back to the election address the smaller one
 * <em>advertised</em> in its handshake, which is the smaller node's own real address. That
 * dial-back would bypass the per-pair proxy, so partitions made with toxics would leak. Here every
 * election connection, dial-backs included, goes to the address in this node's own zoo.cfg (its
 * proxy for that peer), which is what ZooKeeper does for every connection it starts itself.
 * Everything else (FLE, ZAB, sessions, persistence) is the stock 3.9 code.
 */
public class ProxiedQuorumPeerMain extends QuorumPeerMain {
    private static final Logger LOG = LoggerFactory.getLogger(ProxiedQuorumPeerMain.class);

    public static void main(String[] args) {
        try {
            new ProxiedQuorumPeerMain().initializeAndRun(args);
        } catch (Throwable e) {
            LOG.error("ZooKeeper node exited abnormally", e);
            System.exit(1);
        }
        System.exit(0);
    }

    @Override
    protected QuorumPeer getQuorumPeer() throws SaslException {
        return new QuorumPeer() {
            @Override
            public QuorumCnxManager createCnxnManager() {
                int configured = Integer.getInteger("zookeeper.quorumCnxnTimeoutMs", -1);
                int timeout = configured > 0 ? configured : getTickTime() * getSyncLimit();
                return new ConfiguredAddressCnxManager(this, timeout, quorumCnxnThreadsSize);
            }
        };
    }

    /** Dials every election connection at the peer's address from this node's configuration. */
    static final class ConfiguredAddressCnxManager extends QuorumCnxManager {
        private final QuorumPeer peer;

        ConfiguredAddressCnxManager(QuorumPeer peer, int socketTimeout, int threads) {
            // SASL between peers is never enabled in faultline clusters, hence the null authenticators.
            super(peer, peer.getMyId(), peer.getView(), new NullQuorumAuthServer(), new NullQuorumAuthLearner(),
                    socketTimeout, peer.getQuorumListenOnAllIPs(), threads, false);
            this.peer = peer;
        }

        @Override
        public boolean initiateConnectionAsync(MultipleAddresses advertised, Long sid) {
            QuorumPeer.QuorumServer configured = peer.getView().get(sid);
            return super.initiateConnectionAsync(configured != null ? configured.electionAddr : advertised, sid);
        }
    }
}
