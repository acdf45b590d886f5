package io.faultline.chaos.container;

/** The local base image that every faultline container image is built on (see ci/base-image.sh). */
public final class BaseImage {
    public static final String DEFAULT_TAG = "faultline/base:bookworm-jre";

    private BaseImage() {}

    /** The tag to build on: FAULTLINE_BASE_IMAGE, else the system property, else the default. */
    public static String tag() {
        String env = System.getenv("FAULTLINE_BASE_IMAGE");
        if (env != null && !env.isBlank()) return env;
        return System.getProperty("faultline.baseImage", DEFAULT_TAG);
    }
}
