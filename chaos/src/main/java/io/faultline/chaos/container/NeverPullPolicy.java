package io.faultline.chaos.container;

import org.testcontainers.images.ImagePullPolicy;
import org.testcontainers.utility.DockerImageName;

/**
 * Images are always built locally on these machines: no registry is reachable. Never pulling
 * makes a missing image fail at once instead of retrying pulls for minutes.
 * Named by {@code pull.policy} in testcontainers.properties.
 */
public final class NeverPullPolicy implements ImagePullPolicy {
    @Override
    public boolean shouldPull(DockerImageName imageName) {
        return false;
    }
}
