package org.wharf.deploy.restart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.wharf.deploy.inventory.DeployInventory;
import org.wharf.deploy.request.InvalidRequestException;

/** A --no-restart service must be one the application restarts. */
class RestartServicesTest {

    private static DeployInventory.Application catalogue() {
        DeployInventory.Application application = new DeployInventory.Application();
        application.getRestart().setManager("systemd");
        application.getRestart().setServices(List.of("catalogue_gunicorn", "catalogue_celery"));
        return application;
    }

    @Test
    void noRestartLeavesOutTheNamedServices() {
        assertThat(RestartServices.toRestart("catalogue", catalogue(), List.of("catalogue_celery"))).containsExactly("catalogue_gunicorn");
        assertThat(RestartServices.toRestart("catalogue", catalogue(), List.of())).containsExactly("catalogue_gunicorn", "catalogue_celery");
        assertThat(RestartServices.toRestart("catalogue", catalogue(), null)).containsExactly("catalogue_gunicorn", "catalogue_celery");
    }

    @Test
    void aServiceOutsideTheInventoryIsRefusedNamingTheApplicationsServices() {
        assertThatThrownBy(() -> RestartServices.toRestart("catalogue", catalogue(), List.of("catalogue_celery", "sshd")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("service 'sshd' is not a restart service of catalogue (catalogue_gunicorn, catalogue_celery)");
        assertThatThrownBy(() -> RestartServices.toRestart("catalogue", catalogue(), List.of("x; reboot\n")))
                .hasMessage("service 'x; reboot\\n' is not a restart service of catalogue (catalogue_gunicorn, catalogue_celery)");
        assertThatThrownBy(() -> RestartServices.toRestart("catalogue", new DeployInventory.Application(), List.of("web")))
                .hasMessage("service 'web' is not a restart service of catalogue (it restarts none)");
    }
}
