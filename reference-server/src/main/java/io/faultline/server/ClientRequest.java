package io.faultline.server;

import java.util.List;
import org.apache.zookeeper.data.Id;

/**
 * A client request as it travels through the write path: {@code body} is the jute request record after the
 * RequestHeader, {@code authInfo} the connection's authenticated ids (ip id first). A follower forwards this
 * to the leader as is.
 */
public record ClientRequest(long sessionId, int cxid, int opcode, byte[] body, List<Id> authInfo) {}
