package dev.slipway.flink.examples;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import java.util.Locale;

/**
 * Reads every line of the files under {@code --in} and writes it upper-cased to files under {@code --out}, through Flink's
 * file connector (FileSource, FileSink) in batch mode: an ordinary job that needs nothing but a Flink distribution's lib/.
 */
public final class UppercaseFiles {

    private UppercaseFiles() {
    }

    public static void main(String[] args) throws Exception {
        JobArguments params = JobArguments.parse(args);
        String in = params.getString("in", null);
        String out = params.getString("out", null);
        if (in == null || out == null) {
            throw new IllegalArgumentException("--in DIR and --out DIR are required");
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        FileSource<String> source = FileSource.forRecordStreamFormat(new TextLineInputFormat(), new Path(in)).build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "lines")
                .map(line -> line.toUpperCase(Locale.ROOT))
                .name("uppercase")
                .sinkTo(FileSink.forRowFormat(new Path(out), new SimpleStringEncoder<String>()).build());
        env.execute("uppercase-files");
    }
}
