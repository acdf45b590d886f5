package io.faultline.server.zab;

import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Static ensemble membership and the core's timing, in core ticks (the driver decides how long a tick is).
 *
 * @param pingEveryTicks     leader heartbeat period (ZooKeeper: tickTime/2)
 * @param syncLimitTicks     a learner silent for longer is dropped; a follower whose leader is silent this long goes LOOKING
 * @param initLimitTicks     bound on each establishment phase (discovery, epoch ack, NEWLEADER ack)
 * @param finalizeWaitTicks  how long an election waits for a better vote once a quorum agrees (FLE finalizeWait)
 * @param electionResendTicks how often a LOOKING server re-broadcasts its vote
 * @param maxDiffEntries     above this many missing entries the leader sends SNAP instead of DIFF
 */
public record ZabConfig(long myId, SortedSet<Long> voters, SortedSet<Long> observers, int pingEveryTicks,
        int syncLimitTicks, int initLimitTicks, int finalizeWaitTicks, int electionResendTicks, int maxDiffEntries) {

    public ZabConfig {
        voters = Collections.unmodifiableSortedSet(new TreeSet<>(voters));
        observers = Collections.unmodifiableSortedSet(new TreeSet<>(observers));
        if (voters.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one voter");
        }
        if (!voters.contains(myId) && !observers.contains(myId)) {
            throw new IllegalArgumentException("server " + myId + " is neither a voter nor an observer");
        }
        for (long o : observers) {
            if (voters.contains(o)) {
                throw new IllegalArgumentException("server " + o + " cannot be both voter and observer");
            }
        }
        if (pingEveryTicks < 1 || syncLimitTicks <= pingEveryTicks || initLimitTicks < 1 || finalizeWaitTicks < 0
                || electionResendTicks < 1 || maxDiffEntries < 0) {
            throw new IllegalArgumentException("bad timing: ping " + pingEveryTicks + ", syncLimit " + syncLimitTicks
                    + ", initLimit " + initLimitTicks);
        }
    }

    public int quorum() {
        return voters.size() / 2 + 1;
    }

    public boolean isObserver() {
        return observers.contains(myId);
    }

    public SortedSet<Long> allServers() {
        TreeSet<Long> all = new TreeSet<>(voters);
        all.addAll(observers);
        return all;
    }

    public ZabConfig withMyId(long id) {
        return new ZabConfig(id, voters, observers, pingEveryTicks, syncLimitTicks, initLimitTicks, finalizeWaitTicks,
                electionResendTicks, maxDiffEntries);
    }
}
