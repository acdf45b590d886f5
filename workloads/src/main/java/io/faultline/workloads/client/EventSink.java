package io.faultline.workloads.client;

import java.util.Map;

/**
 * Records an event a client received that is not a reply to a request (a watch notification, a
 * session state change) as an invoke immediately followed by ok on the worker's event process.
 */
@FunctionalInterface
public interface EventSink {
    void event(String f, Long session, String node, Map<String, Object> extra);

    EventSink NONE = (f, session, node, extra) -> {};
}
