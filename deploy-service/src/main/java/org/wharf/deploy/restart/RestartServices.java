package org.wharf.deploy.restart;

import java.util.Collection;
import java.util.List;
import java.util.Set;

import org.wharf.deploy.inventory.DeployInventory;
import org.wharf.deploy.request.GitRefName;
import org.wharf.deploy.request.InvalidRequestException;

/** Service names a deploy message carries ({@code --no-restart}): only the application's own restart services. */
public final class RestartServices {

    private RestartServices() {
    }

    /**
     * The services a deploy restarts: the application's, less {@code noRestart}; a name in {@code noRestart}
     * that is not one of them is refused, naming the application's services.
     */
    public static List<String> toRestart(String applicationName, DeployInventory.Application application,
                                         Collection<String> noRestart) {
        List<String> services = application.getRestart().getServices();
        for (String service : noRestart == null ? List.<String>of() : noRestart) {
            if (service == null || !services.contains(service)) {
                throw new InvalidRequestException("service " + (service == null ? "(none)" : "'" + GitRefName.printable(service) + "'")
                        + " is not a restart service of " + applicationName
                        + (services.isEmpty() ? " (it restarts none)" : " (" + String.join(", ", services) + ")"));
            }
        }
        Set<String> left = Set.copyOf(noRestart == null ? List.of() : noRestart);
        return services.stream().filter(service -> !left.contains(service)).toList();
    }
}
