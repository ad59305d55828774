package dev.slipway.rest.access;

import java.util.Locale;
import java.util.Optional;

/** The token of an {@code Authorization: Bearer <token>} header, the one place that header is read. */
public final class BearerToken {

    private static final String SCHEME = "bearer ";

    private BearerToken() {
    }

    /**
     * The token, trimmed; empty without the header, with another scheme, or with a blank token. The scheme's name is
     * case-insensitive (RFC 9110, section 11.1).
     */
    public static Optional<String> of(String authorization) {
        if (authorization == null || authorization.length() <= SCHEME.length()
                || !authorization.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME)) {
            return Optional.empty();
        }
        String token = authorization.substring(SCHEME.length()).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }
}
