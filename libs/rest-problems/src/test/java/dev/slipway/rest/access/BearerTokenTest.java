package dev.slipway.rest.access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BearerTokenTest {

    @Test
    void theTokenOfABearerHeaderTrimmed() {
        assertThat(BearerToken.of("Bearer slwr1.abc")).contains("slwr1.abc");
        assertThat(BearerToken.of("Bearer   slwr1.abc  ")).contains("slwr1.abc");
    }

    @Test
    void theSchemeIsCaseInsensitive() {
        assertThat(BearerToken.of("bearer abc")).contains("abc");
        assertThat(BearerToken.of("BEARER abc")).contains("abc");
    }

    @Test
    void noTokenWithoutTheHeaderWithAnotherSchemeOrWithABlankToken() {
        assertThat(BearerToken.of(null)).isEmpty();
        assertThat(BearerToken.of("")).isEmpty();
        assertThat(BearerToken.of("Bearer")).isEmpty();
        assertThat(BearerToken.of("Bearer ")).isEmpty();
        assertThat(BearerToken.of("Bearer    ")).isEmpty();
        assertThat(BearerToken.of("Basic dXNlcjpwYXNz")).isEmpty();
        assertThat(BearerToken.of("Bearerabc")).isEmpty();
    }
}
