package dev.slipway.scheduling.replay;

import java.util.List;

/** At one event, the recorded decisions and the replayed ones disagree. */
public record Difference(String causeEventId, List<String> recorded, List<String> replayed) {

    public String render() {
        return "event " + causeEventId + ":\n  recorded " + recorded + "\n  replayed " + replayed;
    }
}
