package dev.slipway.flink.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class ReporterSettingsTest {

    @Test
    void defaultsApplyAndRequiredKeysAreNamedWhenMissing() {
        Properties config = new Properties();
        config.setProperty("bootstrap-servers", "kafka:9092");
        config.setProperty("cluster-id", "orders");

        assertThat(ReporterSettings.from(config)).isEqualTo(new ReporterSettings("kafka:9092", "orders", null, 10_000, 500));

        config.remove("cluster-id");
        assertThatThrownBy(() -> ReporterSettings.from(config)).hasMessage("cluster-id is not set");
    }

    @Test
    void numbersAreChecked() {
        Properties config = new Properties();
        config.setProperty("bootstrap-servers", "kafka:9092");
        config.setProperty("cluster-id", "orders");
        config.setProperty("buffer-size", "0");

        assertThatThrownBy(() -> ReporterSettings.from(config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("buffer-size");
    }
}
