package dev.slipway.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code ./slipway} as a user does: the script at the repository's root, environment variables, output to a file. */
final class CliProcess {

    record Result(int exitCode, String output) {
    }

    private final Path script;
    private final Path work;
    private final Map<String, String> environment;
    private int runs;

    CliProcess(Path repository, Path work, Map<String, String> environment) {
        this.script = repository.resolve("slipway");
        this.work = work;
        this.environment = environment;
    }

    Result run(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        Path output = work.resolve(String.format("cli-%02d-%s.out", ++runs, args[0]));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("slipway " + String.join(" ", args) + " did not end within " + timeout + "; output:\n"
                    + Files.readString(output, StandardCharsets.UTF_8));
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        System.out.println("$ slipway " + String.join(" ", args) + "   (exit " + process.exitValue() + ")\n" + text);
        return new Result(process.exitValue(), text);
    }
}
