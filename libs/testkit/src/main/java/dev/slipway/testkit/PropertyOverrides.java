package dev.slipway.testkit;

import java.util.Properties;

/** Client and broker settings from system properties: {@code -D<prefix><key>=<value>} sets {@code <key>}. */
public final class PropertyOverrides {

    private PropertyOverrides() {
    }

    /** Copies every system property named {@code prefix + key} into {@code target} as {@code key}. */
    public static Properties apply(String prefix, Properties target) {
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith(prefix))
                .forEach(name -> target.put(name.substring(prefix.length()), System.getProperty(name)));
        return target;
    }
}
