package dev.slipway.provisioning;

import java.util.List;

/**
 * The JVM options Flink's own scripts pass on Java 17 ({@code env.java.opts.all} of Flink's default
 * configuration): Flink and Kryo reach into JDK internals that the module system closes by default.
 */
public final class FlinkJvmOptions {

    public static final List<String> JAVA_17 = List.of(
            "-XX:+IgnoreUnrecognizedVMOptions",
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    /** Flink's default log4j layout; the node log agent parses exactly this. */
    public static final String LOG_PATTERN = "%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n";

    /**
     * log4j2 configuration of a Flink process: one file at {@code ${sys:log.file}}, rolled by size. Its
     * shutdown hook is off so the last lines before an exit are written (Flink flushes on its own).
     */
    public static String log4jProperties() {
        return String.join("\n",
                "monitorInterval = 0",
                "shutdownHook = disable",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.file.ref = MainAppender",
                "logger.pekko.name = org.apache.pekko",
                "logger.pekko.level = INFO",
                "logger.kafka.name = org.apache.kafka",
                "logger.kafka.level = INFO",
                "logger.netty.name = org.jboss.netty.channel.DefaultChannelPipeline",
                "logger.netty.level = OFF",
                "appender.main.name = MainAppender",
                "appender.main.type = RollingFile",
                "appender.main.append = true",
                "appender.main.fileName = ${sys:log.file}",
                "appender.main.filePattern = ${sys:log.file}.%i",
                "appender.main.layout.type = PatternLayout",
                "appender.main.layout.pattern = " + LOG_PATTERN,
                "appender.main.policies.type = Policies",
                "appender.main.policies.size.type = SizeBasedTriggeringPolicy",
                "appender.main.policies.size.size = 100MB",
                "appender.main.strategy.type = DefaultRolloverStrategy",
                "appender.main.strategy.max = 10",
                "");
    }

    private FlinkJvmOptions() {
    }
}
