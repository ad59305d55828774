package dev.slipway.scheduling.replay;

import java.util.Map;

/**
 * What a run of the scheduler cost and how fast it served: decisions per type, pod-seconds (every
 * pod from its creation to its deletion), the wait for each TaskManager served (p50, p99): from the
 * request to the ready pod, or, in a simulation, from the demand to the warm TaskManager the simulated
 * Flink took (0 if it was ready; {@code taskManagersFromWarm} of them, which a recorded trace cannot
 * show), and the requests and TaskManagers refused. {@code unanswered} counts requested TaskManagers
 * that were neither served nor refused by the end, nor ended with a pod that went before it was ready.
 */
public record ReplayReport(
        long events,
        Map<String, Long> decisionsByType,
        long podSeconds,
        long taskManagersServed,
        long taskManagersFromWarm,
        long requestToReadyMeanMillis,
        long requestToReadyP50Millis,
        long requestToReadyP99Millis,
        long requests,
        long requestsRefused,
        long taskManagersRefused,
        long unanswered) {

    public long decisions() {
        return decisionsByType.values().stream().mapToLong(Long::longValue).sum();
    }

    public String render() {
        StringBuilder text = new StringBuilder();
        text.append(String.format("events                %,d%n", events));
        text.append(String.format("decisions             %,d %s%n", decisions(), decisionsByType));
        text.append(String.format("pod-seconds           %,d%n", podSeconds));
        text.append(String.format("TaskManagers served   %,d (%,d from the warm pool)%n", taskManagersServed,
                taskManagersFromWarm));
        text.append(String.format("request to ready mean %,d ms%n", requestToReadyMeanMillis));
        text.append(String.format("request to ready p50  %,d ms%n", requestToReadyP50Millis));
        text.append(String.format("request to ready p99  %,d ms%n", requestToReadyP99Millis));
        text.append(String.format("requests              %,d (%,d refused in part or whole, %,d TaskManagers refused)%n",
                requests, requestsRefused, taskManagersRefused));
        text.append(String.format("unanswered            %,d%n", unanswered));
        return text.toString();
    }
}
