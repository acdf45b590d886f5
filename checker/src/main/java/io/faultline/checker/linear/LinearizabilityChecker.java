package io.faultline.checker.linear;

import io.faultline.checker.Anomaly;
import io.faultline.checker.CheckResult;
import io.faultline.checker.Checker;
import io.faultline.checker.CheckerOptions;
import io.faultline.checker.Verdict;
import io.faultline.checker.history.EdnValues;
import io.faultline.checker.history.Op;
import io.faultline.checker.model.FailMode;
import io.faultline.checker.model.Model;
import io.faultline.checker.model.ModelConfig;
import io.faultline.checker.model.Models;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Linearizability of a history against a datatype model (options: model, nil-read mode, time limit, memory
 * budget; extras "init" (an EDN/JSON literal), "fail" (drop|observe), "threads").
 */
public final class LinearizabilityChecker implements Checker {
    public static final String NAME = "linearizable";
    public static final String DEFAULT_MODEL = "cas-register";

    private final CheckerOptions options;
    private final Model model;
    private final FailMode failMode;

    public LinearizabilityChecker(CheckerOptions options) {
        this.options = options == null ? CheckerOptions.defaults() : options;
        String modelName = this.options.model() == null ? DEFAULT_MODEL : this.options.model();
        String init = this.options.extras().get("init");
        this.failMode = FailMode.parse(this.options.extra("fail", "drop"));
        this.model = Models.create(modelName, new ModelConfig(this.options.nilReads(), failMode,
                init == null ? null : EdnValues.parse(init)));
    }

    @Override
    public String name() {
        return NAME;
    }

    public Model model() {
        return model;
    }

    /** The full search result, for callers that want partitions and counterexamples as objects. */
    public LinearizabilityAnalysis.Result analyze(List<Op> history) {
        int threads = Integer.parseInt(options.extra("threads", String.valueOf(Runtime.getRuntime().availableProcessors())));
        return new LinearizabilityAnalysis(model, failMode, options.timeLimit(), options.memoryBudgetBytes(), threads)
                .analyze(history);
    }

    @Override
    public CheckResult check(List<Op> history) {
        LinearizabilityAnalysis.Result r = analyze(history);
        Verdict verdict = r.notLinearizable() ? Verdict.INVALID : r.linearizable() ? Verdict.VALID : Verdict.UNKNOWN;
        List<Anomaly> anomalies = new ArrayList<>();
        List<Object> cxData = new ArrayList<>();
        for (Counterexample cx : r.counterexamples()) {
            List<Long> witnesses = new ArrayList<>();
            witnesses.add(cx.op());
            if (cx.opCompletion() >= 0) witnesses.add(cx.opCompletion());
            witnesses.addAll(cx.concurrent());
            anomalies.add(new Anomaly("nonlinearizable", (cx.partitionKey() == null ? "" : "key " + cx.partitionKey() + ": ")
                    + "op " + cx.op() + " (" + cx.description() + ") cannot be linearized; longest linearizable prefix has "
                    + cx.linearized().size() + " ops, ending in state " + cx.state(), witnesses));
            cxData.add(cx.toData());
        }
        String unknownReason = r.partitions().stream()
                .filter(p -> p.outcome() == PartitionResult.Outcome.UNKNOWN).map(PartitionResult::reason).findFirst().orElse(null);
        long partitionsDone = r.partitions().stream().filter(p -> p.outcome() != PartitionResult.Outcome.CANCELLED).count();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("model", model.name());
        details.put("nilReads", options.nilReads().name().toLowerCase());
        details.put("failMode", failMode.name().toLowerCase());
        details.put("ops", r.ops());
        details.put("partitions", r.partitions().size());
        details.put("partitionsChecked", partitionsDone);
        details.put("statesExplored", r.statesExplored());
        details.put("elapsedMs", r.elapsed().toNanos() / 1e6);
        details.put("counterexamples", cxData);
        if (unknownReason != null) details.put("unknownReason", unknownReason);
        String summary = switch (verdict) {
            case VALID -> "linearizable (" + model.name() + ", " + r.ops() + " ops, " + r.partitions().size() + " partition"
                    + (r.partitions().size() == 1 ? "" : "s") + ")";
            case INVALID -> "not linearizable (" + model.name() + "): " + anomalies.get(0).description();
            case UNKNOWN -> "unknown (" + model.name() + "): " + unknownReason;
        };
        return new CheckResult(NAME, verdict, summary, anomalies, details);
    }
}
