package dev.slipway.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class PlatformCallsTest {

    @Test
    void aFailureIsDescribedByItsMessageOrItsKindWhenItHasNone() {
        assertThat(PlatformCalls.describe(new HttpTimeoutException("request timed out"))).isEqualTo("request timed out");
        assertThat(PlatformCalls.describe(new IOException((String) null))).isEqualTo("IOException");
        assertThat(PlatformCalls.describe(PlatformCalls.cause(new CompletionException(new EOFException()))))
                .isEqualTo("EOFException");
    }
}
