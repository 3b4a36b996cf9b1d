package org.wharf.deploy.restart;

import java.util.List;

import org.wharf.deploy.inventory.DeployInventory;
import org.wharf.deploy.request.ShellQuoting;

/**
 * The commands that restart an application's services after a switch, one per service, from the
 * inventory's {@code restart.manager} (validated there) and the services a deploy restarts
 * ({@link RestartServices}: the inventory's, less {@code --no-restart}). As the runbooks do it:
 * <ul>
 *   <li>{@code systemd}: {@code sudo -n systemctl restart -- U} (sudo limited to the named units in
 *       sudoers; {@code -n} fails at once instead of waiting for a password that never comes);</li>
 *   <li>{@code supervisor}: {@code supervisorctl restart P};</li>
 *   <li>{@code command}: the inventory's {@code restart.command} with the service's name as its last word.</li>
 * </ul>
 * Every service name is passed quoted.
 */
public final class RestartCommands {

    private RestartCommands() {
    }

    public static List<Restart> of(DeployInventory.Restart restart, List<String> services) {
        return services.stream().map(service -> new Restart(service, switch (restart.getManager()) {
            case "systemd" -> "sudo -n systemctl restart -- " + ShellQuoting.quote(service);
            case "supervisor" -> "supervisorctl restart " + ShellQuoting.quote(service);
            case "command" -> restart.getCommand() + " " + ShellQuoting.quote(service);
            default -> throw new IllegalArgumentException("restart manager '" + restart.getManager() + "' is none of systemd, supervisor, command");
        })).toList();
    }

    /** One service's restart: the command that does it. */
    public record Restart(String service, String command) {
    }
}
