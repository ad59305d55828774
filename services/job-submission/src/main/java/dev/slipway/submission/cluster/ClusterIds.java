package dev.slipway.submission.cluster;

import java.util.Locale;

/**
 * Cluster ids are DNS labels that pods and Services are named after ({@code <id>-jm-0},
 * {@code <id>-jobmanager}): a slug of the name, then a random suffix, short enough for those suffixes.
 */
public final class ClusterIds {

    static final int SLUG_LENGTH = 30;

    private ClusterIds() {
    }

    /** {@code suffix}: random lower-case hex, e.g. 8 characters. */
    public static String of(String name, String suffix) {
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (slug.length() > SLUG_LENGTH) {
            slug = slug.substring(0, SLUG_LENGTH).replaceAll("-+$", "");
        }
        if (slug.isEmpty() || !Character.isLetter(slug.charAt(0))) {
            // A Kubernetes Service name must start with a letter.
            slug = "c" + (slug.isEmpty() ? "" : "-" + slug);
        }
        return slug + "-" + suffix;
    }
}
