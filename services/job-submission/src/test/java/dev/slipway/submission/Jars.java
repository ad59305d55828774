package dev.slipway.submission;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Jars for tests: class entries by name (their bytes do not matter to the platform), a manifest if wanted. */
final class Jars {

    private Jars() {
    }

    static byte[] jar(String mainClass, String... classes) {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream()) {
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            if (mainClass != null) {
                manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
            }
            try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
                for (String name : classes) {
                    jar.putNextEntry(new JarEntry(name.replace('.', '/') + ".class"));
                    jar.write(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE});
                    jar.closeEntry();
                }
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path file(byte[] content, String name) {
        try {
            Path dir = Files.createTempDirectory("slipway-jars");
            return Files.write(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
