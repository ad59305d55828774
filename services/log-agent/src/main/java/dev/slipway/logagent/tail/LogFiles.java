package dev.slipway.logagent.tail;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Which files of a pod directory are logs: {@code *.log} and the rolled {@code *.log.<n>}. */
final class LogFiles {

    private static final Pattern NAME = Pattern.compile("(.+\\.log)(?:\\.(\\d{1,6}))?");

    private LogFiles() {
    }

    static boolean isLog(Path file) {
        return NAME.matcher(file.getFileName().toString()).matches();
    }

    /** The file's base name ({@code x.log} for {@code x.log.3}). */
    static String baseName(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        return m.matches() ? m.group(1) : file.getFileName().toString();
    }

    /** 0 for the file being written, n for {@code x.log.n} (higher is older). */
    static int rotationIndex(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        return m.matches() && m.group(2) != null ? Integer.parseInt(m.group(2)) : 0;
    }
}
