package org.wharf.common.config;

/**
 * A service's configuration refused at start-up: the message is the whole answer (where, and the
 * rule), and the start-up report shows it as one line with what to correct, never a stack trace
 * ({@link ConfigurationRefusedAnalyzer}).
 */
public class ConfigurationRefused extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final String action;

    /** @param action what the operator should correct, e.g. "Correct wharf.backup.targets (see the README, \"Backups\")." */
    public ConfigurationRefused(String message, String action) {
        super(message);
        this.action = action;
    }

    public String action() {
        return action;
    }
}
