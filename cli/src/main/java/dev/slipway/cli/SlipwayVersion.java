package dev.slipway.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/** The project's version as the build wrote it: what {@code --version} prints and what the jars {@code up} starts are named. */
public final class SlipwayVersion implements CommandLine.IVersionProvider {

    private static final String VERSION = read();

    public static String get() {
        return VERSION;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"slipway " + VERSION};
    }

    private static String read() {
        try (InputStream in = SlipwayVersion.class.getResourceAsStream("/slipway-version.properties")) {
            if (in == null) {
                throw new IllegalStateException("slipway-version.properties is missing from the CLI's classpath: rebuild the CLI");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
