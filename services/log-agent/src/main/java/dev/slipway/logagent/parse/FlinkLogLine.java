package dev.slipway.logagent.parse;

import java.time.LocalDateTime;

/**
 * The first line of a log event in Flink's layout {@code %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n}
 * (a {@code [%t]} before the logger is recognised too). Fields the line does not carry are null.
 *
 * @param context what {@code %x} printed between the brackets (Flink's nested diagnostic context; usually empty)
 */
public record FlinkLogLine(LocalDateTime time, String level, String thread, String logger, String context, String message) {
}
