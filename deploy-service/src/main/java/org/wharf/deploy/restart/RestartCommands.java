package org.wharf.deploy.restart;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The commands that restart an application's services after a switch, one per service, from the
 * inventory's {@code restart.manager} and {@code restart.services}; a deploy's {@code --no-restart}
 * only leaves some out. As the runbooks do it:
 * <ul>
 *   <li>{@code systemd}: {@code sudo -n systemctl restart -- U} (sudo limited to the named units in
 *       sudoers; {@code -n} fails at once instead of waiting for a password that never comes);</li>
 *   <li>{@code supervisor}: {@code supervisorctl restart P};</li>
 *   <li>{@code command}: the inventory's {@code restart.command}, run once per service with the
 *       service's name as {@code $1}.</li>
 * </ul>
 */
public final class RestartCommands {

    public enum Manager { SYSTEMD, SUPERVISOR, COMMAND;

        public static Manager of(String name) {
            for (Manager manager : values()) {
                if (manager.name().toLowerCase(Locale.ROOT).equals(name)) {
                    return manager;
                }
            }
            throw new IllegalArgumentException("restart manager '" + name + "' is none of systemd, supervisor, command");
        }
    }

    /** Unit and program names as systemd and supervisor allow them, and nothing a shell reads specially. */
    private static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@:-]*");

    private RestartCommands() {
    }

    /**
     * @param command for {@link Manager#COMMAND} only: the configured command
     * @param skipped services a deploy leaves alone ({@code --no-restart}); each must be one of {@code services}
     */
    public static List<Restart> of(Manager manager, String command, List<String> services, Collection<String> skipped) {
        for (String name : skipped) {
            if (!services.contains(name)) {
                throw new IllegalArgumentException("service " + name + " is not a restart service (" + String.join(", ", services) + ")");
            }
        }
        if (manager == Manager.COMMAND && (command == null || command.isBlank())) {
            throw new IllegalArgumentException("restart manager 'command' needs restart.command");
        }
        List<Restart> restarts = new ArrayList<>();
        for (String service : services) {
            if (!SERVICE.matcher(service).matches()) {
                throw new IllegalArgumentException("restart service name '" + service + "' holds characters a unit or program name cannot");
            }
            if (skipped.contains(service)) {
                continue;
            }
            restarts.add(new Restart(service, switch (manager) {
                case SYSTEMD -> "sudo -n systemctl restart -- " + service;
                case SUPERVISOR -> "supervisorctl restart " + service;
                case COMMAND -> "set -- " + service + "; " + command;
            }));
        }
        return restarts;
    }

    /** One service's restart: the command that does it. */
    public record Restart(String service, String command) {
    }
}
