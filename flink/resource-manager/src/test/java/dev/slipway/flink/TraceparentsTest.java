package dev.slipway.flink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TraceparentsTest {

    @Test
    void eachRequestStartsAValidSampledW3cTrace() {
        String first = Traceparents.newRoot();
        String second = Traceparents.newRoot();
        assertThat(first).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        assertThat(first).doesNotContain("-00000000000000000000000000000000-", "-0000000000000000-");
        assertThat(second.split("-")[1]).isNotEqualTo(first.split("-")[1]);
    }
}
