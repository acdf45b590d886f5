package io.faultline.workloads.workload;

/**
 * Where a client connects: the node's name (for the history) and the address clients use, which on a
 * chaos cluster is that node's Toxiproxy listener.
 */
public record Endpoint(String node, String connectString) {}
