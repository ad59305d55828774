package dev.slipway.rest.problems;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What is wrong with a JSON body, in the API's words: the JSON type a field wants ("a whole number", "an array"), never the
 * Java class or Jackson's internals that Jackson's own messages name.
 */
public final class JsonErrorWords {

    private JsonErrorWords() {
    }

    public static String of(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException) {
            return "unknown field";
        }
        if (e instanceof StreamConstraintsException || e.getCause() instanceof StreamConstraintsException) {
            return "the body is larger or nested deeper than this API reads";
        }
        if (e instanceof InvalidFormatException invalid) {
            return "must be " + expected(invalid.getTargetType());
        }
        if (e instanceof MismatchedInputException mismatched) {
            String original = e.getOriginalMessage();
            boolean jacksons = original == null || original.contains("`") || original.contains("java.");
            if (!jacksons) {
                return original; // a message of ours (ControlCharacters)
            }
            if (mismatched.getTargetType() == null) {
                return "unreadable";
            }
            return "must be " + expected(mismatched.getTargetType());
        }
        if (e instanceof InputCoercionException coercion) {
            return "must be " + expected(coercion.getTargetType()) + range(coercion.getTargetType());
        }
        if (e instanceof JsonParseException) {
            JsonLocation at = e.getLocation();
            return "not valid JSON" + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr());
        }
        return "unreadable";
    }

    /** The range of a whole-number type, for a number too large for it. */
    private static String range(Class<?> type) {
        if (type == Integer.class || type == int.class) {
            return " between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE;
        }
        if (type == Long.class || type == long.class) {
            return " between " + Long.MIN_VALUE + " and " + Long.MAX_VALUE;
        }
        return " in range";
    }

    /** A Java type as the JSON a client sends for it. */
    static String expected(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type == String.class || type == Character.class || type == char.class) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class || type == Short.class
                || type == short.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", "));
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "an object of strings";
        }
        if (type.getName().startsWith("java.time.")) {
            return "an ISO-8601 string";
        }
        return "an object";
    }
}
