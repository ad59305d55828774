package dev.slipway.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.submission.dependency.MavenCoordinate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The coordinate grammar, its path in a repository, and which Flink line an artifact is built for. */
class MavenCoordinateTest {

    @Test
    void aCoordinateNamesItsJarInMavensLayout() {
        MavenCoordinate kafka = MavenCoordinate.parse("org.apache.flink:flink-sql-connector-kafka:5.0.0-2.2");
        assertThat(kafka.path()).isEqualTo("org/apache/flink/flink-sql-connector-kafka/5.0.0-2.2/flink-sql-connector-kafka-5.0.0-2.2.jar");
        assertThat(kafka.toString()).isEqualTo("org.apache.flink:flink-sql-connector-kafka:5.0.0-2.2");
        MavenCoordinate classified = MavenCoordinate.parse("io.example:udfs:1.0+build.7:shaded");
        assertThat(classified.fileName()).isEqualTo("udfs-1.0+build.7-shaded.jar");
        assertThat(classified.classifier()).isEqualTo("shaded");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "a:b", "a:b:c:d:e", "../x:y:1", "a..b:c:1", "a:b:1/../../x", "a:b:1 ", "a:b:1\u0000", ":b:1",
            "a:-b:1", "a:b:.1", "a:b:1:", "%2e%2e:b:1", "a/b:c:1"})
    void whatIsNotInTheGrammarIsRefusedWithAnExample(String text) {
        assertThatThrownBy(() -> MavenCoordinate.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GROUP:ARTIFACT:VERSION");
    }

    @Test
    void aPartIsAtMost128Characters() {
        assertThatThrownBy(() -> MavenCoordinate.parse("a:b:" + "9".repeat(129))).isInstanceOf(IllegalArgumentException.class);
        assertThat(MavenCoordinate.parse("a:b:" + "9".repeat(128)).version()).hasSize(128);
    }

    @Test
    void noCoordinateIsAPathOutOfTheRepository() {
        assertThatThrownBy(() -> MavenCoordinate.parse("..:b:1")).isInstanceOf(IllegalArgumentException.class);
        assertThat(MavenCoordinate.parse("a.b:c:1").path()).doesNotContain("..").doesNotStartWith("/");
    }

    @ParameterizedTest
    @CsvSource({
            "org.apache.flink:flink-sql-connector-kafka:5.0.0-2.2, 2.2, 2.2.0, true",
            "org.apache.flink:flink-connector-jdbc-core:4.0.0-2.0, 2.0, 2.2.0, true",
            "org.apache.flink:flink-sql-connector-kafka:5.0.0-2.2, 2.2, 2.0.1, false",
            "org.apache.flink:flink-connector-jdbc:3.3.0-1.20, 1.20, 2.2.0, false",
            "org.apache.flink:flink-connector-jdbc:3.3.0-1.20, 1.20, 1.20.0, true",
            "org.apache.flink:flink-sql-connector-kafka:3.2.0-1.19, 1.19, 1.20.0, true",
            "org.apache.flink:flink-avro:2.2.0, 2.2, 2.2.0, true",
            "org.apache.flink:flink-avro:1.20.1, 1.20, 2.2.0, false",
    })
    void aConnectorRunsOnItsLineAndLaterMinorsOfTheSameMajor(String coordinate, String line, String cluster, boolean runs) {
        MavenCoordinate parsed = MavenCoordinate.parse(coordinate);
        assertThat(parsed.flinkLine()).contains(line);
        assertThat(parsed.runsOn(cluster)).isEqualTo(runs);
    }

    @ParameterizedTest
    @ValueSource(strings = {"org.postgresql:postgresql:42.7.10", "com.example:flink-udfs:2.2.0", "io.example:x:1.0-SNAPSHOT"})
    void anArtifactThatNamesNoFlinkLineRunsAnywhere(String coordinate) {
        MavenCoordinate parsed = MavenCoordinate.parse(coordinate);
        assertThat(parsed.flinkLine()).isEmpty();
        assertThat(parsed.runsOn("2.2.0")).isTrue();
        assertThat(parsed.runsOn("1.20.0")).isTrue();
    }
}
