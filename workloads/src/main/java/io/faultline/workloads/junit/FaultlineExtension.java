package io.faultline.workloads.junit;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: {@code @ExtendWith(FaultlineExtension.class)} and take a
 * {@link FaultlineScenario} parameter. Its store is {@code target/faultline-store/<TestClass>} and
 * its seed comes from {@code -Dfaultline.seed} when set (so a failing build can be replayed).
 * The parameter starts as a 3-node ZooKeeper register scenario; change what you need, then call
 * {@link FaultlineScenario#assertValid()}.
 */
public final class FaultlineExtension implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == FaultlineScenario.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        FaultlineScenario s = FaultlineScenario.of("zookeeper")
                .name(e.getRequiredTestClass().getSimpleName() + "-" + e.getRequiredTestMethod().getName())
                .store(Path.of("target", "faultline-store", e.getRequiredTestClass().getSimpleName()));
        String seed = System.getProperty("faultline.seed");
        if (seed != null) s.seed(Long.parseLong(seed));
        return s;
    }
}
