package dev.slipway.contracts.cluster;

import java.util.regex.Pattern;

/**
 * The one grammar of a cluster id, checked before an id touches a path, a query or a topic: a DNS label (lower-case letters,
 * digits and '-', starting with a letter, at most 63 characters), because pods, Services and directories are named after it.
 * job-submission makes ids of that shape ({@code <slug>-<suffix>}); anything else is not a cluster of this platform.
 */
public final class ClusterIdGrammar {

    /** The grammar as a regular expression (an OpenAPI schema's pattern names it too). */
    public static final String REGEX = "[a-z]([-a-z0-9]{0,61}[a-z0-9])?";
    private static final Pattern DNS_LABEL = Pattern.compile(REGEX);

    /** What a caller is told when an id does not fit. */
    public static final String RULE = "a cluster id is a DNS label: lower-case letters, digits and '-', starting with a letter,"
            + " ending with a letter or digit, at most 63 characters";

    private ClusterIdGrammar() {
    }

    public static boolean valid(String clusterId) {
        return clusterId != null && DNS_LABEL.matcher(clusterId).matches();
    }
}
