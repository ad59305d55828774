package dev.slipway.indexer.logs;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** Cursors as opaque URL-safe text: base64 of "millis:idBits". */
public final class Cursors {

    private Cursors() {
    }

    public static String encode(LogQuery.Cursor cursor) {
        String text = cursor.timeMillis() + ":" + cursor.idBits();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Empty when the text is not a cursor this service wrote. */
    public static Optional<LogQuery.Cursor> decode(String text) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            int colon = plain.indexOf(':');
            if (colon <= 0 || colon == plain.length() - 1) {
                return Optional.empty();
            }
            return Optional.of(new LogQuery.Cursor(Long.parseLong(plain.substring(0, colon)), Long.parseLong(plain.substring(colon + 1))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
