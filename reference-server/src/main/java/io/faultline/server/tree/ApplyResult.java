package io.faultline.server.tree;

import java.util.List;

public record ApplyResult(OpResult result, List<WatchTrigger> triggers) {}
