package io.faultline.chaos.cluster;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of every node JVM: starts a watchdog that halts this JVM when the harness JVM that
 * started it is gone (so a harness killed with SIGKILL leaves no node behind), then runs the
 * server's own main class. Usage: {@code NodeLauncher <main class> <args...>} with
 * {@code -Dfaultline.parentPid=<pid>}.
 */
public final class NodeLauncher {
    public static final String PARENT_PID_PROPERTY = "faultline.parentPid";
    /** Marks node JVMs on their command line, for {@link Cleanup}. Value: {@code <cluster>/n<id>}. */
    public static final String NODE_MARKER_PROPERTY = "faultline.chaos.node";

    private NodeLauncher() {}

    public static void main(String[] args) throws Throwable {
        if (args.length < 1) {
            System.err.println("usage: NodeLauncher <main class> [args...]");
            System.exit(64);
        }
        startParentWatchdog();
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void startParentWatchdog() {
        String pid = System.getProperty(PARENT_PID_PROPERTY);
        if (pid == null || pid.isBlank()) return;
        long parentPid = Long.parseLong(pid.trim());
        Thread watchdog = new Thread(() -> {
            while (true) {
                boolean alive = ProcessHandle.of(parentPid).map(ProcessHandle::isAlive).orElse(false);
                if (!alive) {
                    System.err.println("[faultline] harness JVM " + parentPid + " is gone; halting this node");
                    Runtime.getRuntime().halt(3);
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "faultline-parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
