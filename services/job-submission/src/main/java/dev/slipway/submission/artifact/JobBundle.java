package dev.slipway.submission.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The jar Flink receives for a version with dependencies: the version's own jar with each dependency added under
 * {@code lib/}. Flink's packaged-program loader extracts a jar's {@code lib/*.jar} onto that job's user class path (and
 * ships them with the job to its TaskManagers), so the dependencies are the job's alone: another job on the same session
 * cluster never sees them, and may run another version of the same connector.
 */
public final class JobBundle {

    /** A jar to put beside the job's own, under this file name. */
    public record Library(String file, Path path) {
    }

    private JobBundle() {
    }

    /** Writes the bundle to {@code target}: the entries of {@code jar}, then {@code lib/<nn>-<file>} per library, in order. */
    public static void write(Path jar, List<Library> libraries, Path target) throws IOException {
        Set<String> names = new HashSet<>();
        try (ZipFile source = new ZipFile(jar.toFile()); OutputStream file = Files.newOutputStream(target);
                ZipOutputStream bundle = new ZipOutputStream(file)) {
            Enumeration<? extends ZipEntry> entries = source.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                if (!names.add(entry.getName())) {
                    continue; // a duplicate entry in the source; the first wins, as the JDK reads it
                }
                bundle.putNextEntry(new ZipEntry(entry.getName()));
                try (InputStream in = source.getInputStream(entry)) {
                    in.transferTo(bundle);
                }
                bundle.closeEntry();
            }
            // Jars are compressed already: storing them deflated at level 0 costs no CPU worth counting.
            bundle.setLevel(Deflater.NO_COMPRESSION);
            for (int i = 0; i < libraries.size(); i++) {
                Library library = libraries.get(i);
                String name = "lib/" + String.format("%02d", i) + "-" + library.file();
                if (!names.add(name)) {
                    throw new IOException("the job's jar has an entry " + name + " already");
                }
                bundle.putNextEntry(new ZipEntry(name));
                Files.copy(library.path(), bundle);
                bundle.closeEntry();
            }
        }
    }
}
