package io.faultline.server.tree;

/** A session in the replicated session table. */
public record SessionInfo(long sessionId, int timeoutMs, byte[] password) {}
