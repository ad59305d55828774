package dev.slipway.submission.dependency;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code groupId:artifactId:version[:classifier]} of a jar in a Maven repository. Each part is a name of letters,
 * digits, {@code _ . - +} that starts with a letter or digit and holds no {@code ..}, so a coordinate always names a
 * path inside the repository.
 */
public record MavenCoordinate(String groupId, String artifactId, String version, String classifier) {

    private static final String NAME = "[A-Za-z0-9][A-Za-z0-9_.+-]{0,127}";
    private static final Pattern GRAMMAR = Pattern.compile("(" + NAME + "):(" + NAME + "):(" + NAME + ")(?::(" + NAME + "))?");
    /**
     * A connector released for a Flink line says so at the end of its version ({@code 5.0.0-2.2}, {@code 3.3.0-1.20}); read
     * only for artifacts with "flink" in their name.
     */
    private static final Pattern CONNECTOR_LINE = Pattern.compile(".+-(\\d+)\\.(\\d+)");
    /** Flink's own modules carry Flink's version: {@code 2.2.0}. */
    private static final Pattern FLINK_RELEASE = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.\\d+)?");

    /** The coordinate, or an explanation of what is wrong with the text. */
    public static MavenCoordinate parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("must be a Maven coordinate GROUP:ARTIFACT:VERSION[:CLASSIFIER]");
        }
        Matcher matcher = GRAMMAR.matcher(text);
        if (!matcher.matches() || text.contains("..")) {
            throw new IllegalArgumentException("'" + printable(text) + "' is not a Maven coordinate GROUP:ARTIFACT:VERSION[:CLASSIFIER]"
                    + " (letters, digits and _ . - + in each part), e.g. org.apache.flink:flink-sql-connector-kafka:5.0.0-2.2");
        }
        return new MavenCoordinate(matcher.group(1), matcher.group(2), matcher.group(3), matcher.group(4));
    }

    /** The jar's file name in the repository, which is also the name it gets beside the job. */
    public String fileName() {
        return artifactId + "-" + version + (classifier == null ? "" : "-" + classifier) + ".jar";
    }

    /** The jar's path in a repository with Maven's layout. */
    public String path() {
        return groupId.replace('.', '/') + "/" + artifactId + "/" + version + "/" + fileName();
    }

    /**
     * The Flink line ({@code major.minor}) the artifact is built for, where its version says it: a connector's suffix or,
     * for Flink's own modules, the release.
     */
    public Optional<String> flinkLine() {
        Matcher connector = CONNECTOR_LINE.matcher(version);
        if (artifactId.contains("flink") && connector.matches()) {
            return Optional.of(connector.group(1) + "." + connector.group(2));
        }
        Matcher release = FLINK_RELEASE.matcher(version);
        if (groupId.equals("org.apache.flink") && artifactId.startsWith("flink-") && release.matches()) {
            return Optional.of(release.group(1) + "." + release.group(2));
        }
        return Optional.empty();
    }

    /**
     * Whether a jar built for {@link #flinkLine()} runs on a cluster of this Flink version: the same major line and a minor
     * line no newer than the cluster's (a connector for 2.0 runs on 2.2; one for 2.2 does not run on 2.0, nor one for 1.20
     * on 2.x). An artifact that names no line is the user's call.
     */
    public boolean runsOn(String clusterFlinkVersion) {
        Optional<String> line = flinkLine();
        Matcher cluster = FLINK_RELEASE.matcher(clusterFlinkVersion == null ? "" : clusterFlinkVersion);
        if (line.isEmpty() || !cluster.matches()) {
            return true;
        }
        String[] built = line.get().split("\\.");
        return Integer.parseInt(built[0]) == Integer.parseInt(cluster.group(1))
                && Integer.parseInt(built[1]) <= Integer.parseInt(cluster.group(2));
    }

    @Override
    public String toString() {
        return groupId + ":" + artifactId + ":" + version + (classifier == null ? "" : ":" + classifier);
    }

    private static String printable(String text) {
        String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
