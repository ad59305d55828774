package dev.slipway.rest.problems;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A bad body is described in JSON's words, with no Java type or Jackson internals in them. */
class JsonErrorWordsTest {

    enum Mode { STATIC, ELASTIC }

    record Size(int cpu) {
    }

    record Body(String name, int count, Boolean dry, Mode mode, List<String> args, Map<String, String> configuration, Size size) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"count\":\"many\"}                 | must be a whole number",
            "{\"count\":[1]}                      | must be a whole number",
            "{\"name\":{\"a\":1}}                 | must be a string",
            "{\"dry\":\"perhaps\"}                | must be true or false",
            "{\"mode\":\"ELASTICAL\"}             | must be one of STATIC, ELASTIC",
            "{\"args\":\"--x\"}                   | must be an array",
            "{\"configuration\":[\"a\"]}          | must be an object of strings",
            "{\"size\":[1]}                       | must be an object",
            "{\"colour\":\"red\"}                 | unknown field",
            "{\"count\":1,                        | not valid JSON at line 1",
    })
    void describesWhatIsWrongInJsonsWords(String body, String expected) {
        JsonProcessingException error = catchThrowableOfType(JsonProcessingException.class, () -> JSON.readValue(body, Body.class));

        assertThat(JsonErrorWords.of(error)).startsWith(expected).doesNotContain("java.", "dev.slipway", "Jackson", "`");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"count\":\"5\"}     | must be a whole number",
            "{\"count\":1.9}       | must be a whole number",
            "{\"count\":\"\"}      | must be a whole number",
            "{\"dry\":\"true\"}    | must be true or false",
            "{\"dry\":1}           | must be true or false",
    })
    void strictJsonTakesNoValueTheClientDidNotSend(String body, String expected) {
        ObjectMapper strict = new ObjectMapper();
        new StrictJson().customize(strict);
        JsonProcessingException error = catchThrowableOfType(JsonProcessingException.class, () -> strict.readValue(body, Body.class));

        assertThat(error).as(body).isNotNull();
        assertThat(JsonErrorWords.of(error)).startsWith(expected);
    }

    @Test
    void aBodyThatIsNotAnObjectIsDescribedToo() {
        JsonProcessingException error = catchThrowableOfType(JsonProcessingException.class, () -> JSON.readValue("[1,2]", Body.class));

        assertThat(JsonErrorWords.of(error)).isEqualTo("must be an object");
    }
}
