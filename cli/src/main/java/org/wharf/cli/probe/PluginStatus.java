package org.wharf.cli.probe;

/** The monitoring-plugin states and their exit statuses (the Monitoring Plugins guidelines). */
public enum PluginStatus {
    OK(0), WARNING(1), CRITICAL(2), UNKNOWN(3);

    private final int exitStatus;

    PluginStatus(int exitStatus) {
        this.exitStatus = exitStatus;
    }

    public int exitStatus() {
        return exitStatus;
    }

    /** The worse of two. */
    PluginStatus worst(PluginStatus other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
