package dev.slipway.submission.job;

import dev.slipway.rest.problems.Problem.FieldError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;

/**
 * Checks an uploaded file is a jar Flink can run: a zip archive (by its magic number and its central
 * directory), and the entry class present as a {@code .class} entry (the class the request names, or
 * the manifest's {@code Main-Class}). Reads only the directory and the manifest, never runs anything.
 */
public final class JarInspector {

    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};
    /** A Java binary class name: dotted identifiers, inner classes with '$'. */
    private static final Pattern CLASS_NAME = Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*");

    private JarInspector() {
    }

    /** The entry class the job will run (the request's, else the manifest's), and what is wrong. */
    public record Result(String entryClass, List<FieldError> errors) {

        public boolean valid() {
            return errors.isEmpty();
        }
    }

    public static Result inspect(Path jar, String requestedEntryClass) {
        List<FieldError> errors = new ArrayList<>();
        String requested = requestedEntryClass == null || requestedEntryClass.isBlank() ? null : requestedEntryClass.trim();
        if (requested != null && (requested.length() > 255 || !CLASS_NAME.matcher(requested).matches())) {
            errors.add(new FieldError("entryClass", "'" + shorten(requested) + "' is not a Java class name"));
            requested = null;
        }
        try {
            if (Files.size(jar) == 0) {
                errors.add(new FieldError("jar", "is empty"));
                return new Result(requested, errors);
            }
            if (!startsWithZipMagic(jar)) {
                errors.add(new FieldError("jar", "is not a jar: it does not start as a zip archive (PK\\3\\4)"));
                return new Result(requested, errors);
            }
        } catch (IOException e) {
            errors.add(new FieldError("jar", "could not be read: " + e.getMessage()));
            return new Result(requested, errors);
        }
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            String fromManifest = mainClass(file);
            String entryClass = requested != null ? requested : fromManifest;
            if (entryClass == null) {
                if (!errors.stream().anyMatch(error -> error.field().equals("entryClass"))) {
                    errors.add(new FieldError("entryClass", "is required: the jar's manifest names no Main-Class"));
                }
                return new Result(null, errors);
            }
            ZipEntry entry = file.getEntry(entryClass.replace('.', '/') + ".class");
            if (entry == null || entry.isDirectory()) {
                errors.add(new FieldError("entryClass", "the jar has no class " + entryClass
                        + (requested == null ? " (the manifest's Main-Class)" : "")));
            }
            return new Result(entryClass, errors);
        } catch (ZipException e) {
            errors.add(new FieldError("jar", "is not a jar: not a readable zip archive (" + e.getMessage() + ")"));
            return new Result(requested, errors);
        } catch (IOException | SecurityException e) {
            errors.add(new FieldError("jar", "is not a readable jar: " + e.getMessage()));
            return new Result(requested, errors);
        }
    }

    /** What is wrong with a file that should be a library jar (a job's dependency), or empty when it is a readable jar. */
    public static Optional<String> libraryProblem(Path jar) {
        try {
            if (Files.size(jar) == 0) {
                return Optional.of("is empty");
            }
            if (!startsWithZipMagic(jar)) {
                return Optional.of("is not a jar: it does not start as a zip archive (PK\\3\\4)");
            }
        } catch (IOException e) {
            return Optional.of("could not be read: " + e.getMessage());
        }
        try (JarFile ignored = new JarFile(jar.toFile(), false)) {
            return Optional.empty();
        } catch (IOException | SecurityException e) {
            return Optional.of("is not a jar: not a readable zip archive (" + e.getMessage() + ")");
        }
    }

    private static boolean startsWithZipMagic(Path jar) throws IOException {
        byte[] head = new byte[ZIP_MAGIC.length];
        try (InputStream in = Files.newInputStream(jar)) {
            if (in.readNBytes(head, 0, head.length) < head.length) {
                return false;
            }
        }
        return java.util.Arrays.equals(head, ZIP_MAGIC);
    }

    private static String mainClass(JarFile file) throws IOException {
        Manifest manifest = file.getManifest();
        if (manifest == null) {
            return null;
        }
        String main = manifest.getMainAttributes().getValue(Attributes.Name.MAIN_CLASS);
        return main == null || main.isBlank() || !CLASS_NAME.matcher(main.trim()).matches() ? null : main.trim();
    }

    private static String shorten(String text) {
        return text.length() <= 80 ? text : text.substring(0, 79) + "…";
    }
}
