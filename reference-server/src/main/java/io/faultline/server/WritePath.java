package io.faultline.server;

/**
 * Where the core sends every write (and createSession/closeSession) in request order, on the core thread.
 * Standalone and ZAB leader: {@link ServerCore#localWritePath(TxnCommitter)}; a ZAB follower forwards.
 */
public interface WritePath {
    void write(ClientRequest request) throws java.io.IOException;
}
