package org.wharf.deploy.restart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wharf.deploy.restart.RestartCommands.Manager;
import org.wharf.deploy.restart.RestartCommands.Restart;
import org.wharf.deploy.ssh.CommandResult;
import org.wharf.deploy.ssh.SshOptions;
import org.wharf.deploy.ssh.SshSession;
import org.wharf.deploy.testsupport.SshTestHost;

/** Restart commands, run on a real SSH host against stand-ins for sudo and supervisorctl that record their arguments. */
class RestartCommandsTest {

    @TempDir
    Path temp;

    @Test
    void systemdAndSupervisorRestartEachServiceButTheSkippedOnes() throws Exception {
        Path bin = Files.createDirectory(temp.resolve("bin"));
        Path log = temp.resolve("calls.log");
        for (String tool : List.of("sudo", "supervisorctl")) {
            Path stub = bin.resolve(tool);
            Files.writeString(stub, "#!/bin/sh\necho \"" + tool + " $*\" >> '" + log + "'\n");
            Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        List<Restart> systemd = RestartCommands.of(Manager.SYSTEMD, null,
                List.of("catalogue_gunicorn", "catalogue_celery"), Set.of("catalogue_celery"));
        List<Restart> supervisor = RestartCommands.of(Manager.SUPERVISOR, null, List.of("topobank-django", "topobank-celery"), Set.of());

        try (SshSession session = SshSession.open(SshTestHost.shared().sshHost(), SshOptions.DEFAULTS)) {
            for (Restart restart : concat(systemd, supervisor)) {
                CommandResult result = session.run("PATH='" + bin + "':$PATH; " + restart.command(), Duration.ofSeconds(30));
                assertThat(result.succeeded()).as(result.outputTail()).isTrue();
            }
        }

        assertThat(Files.readAllLines(log)).containsExactly("sudo -n systemctl restart -- catalogue_gunicorn",
                "supervisorctl restart topobank-django", "supervisorctl restart topobank-celery");
    }

    @Test
    void aConfiguredCommandGetsTheServiceAsItsFirstArgument() throws Exception {
        Path log = temp.resolve("restarted");
        List<Restart> restarts = RestartCommands.of(Manager.COMMAND, "echo \"$1\" >> '" + log + "'", List.of("web", "worker"), Set.of());
        try (SshSession session = SshSession.open(SshTestHost.shared().sshHost(), SshOptions.DEFAULTS)) {
            for (Restart restart : restarts) {
                assertThat(session.run(restart.command(), Duration.ofSeconds(30)).succeeded()).isTrue();
            }
        }
        assertThat(Files.readAllLines(log)).containsExactly("web", "worker");
    }

    @Test
    void refusals() {
        assertThatThrownBy(() -> RestartCommands.of(Manager.SYSTEMD, null, List.of("web"), Set.of("db")))
                .hasMessage("service db is not a restart service (web)");
        assertThatThrownBy(() -> RestartCommands.of(Manager.SYSTEMD, null, List.of("web; reboot"), Set.of()))
                .hasMessageContaining("'web; reboot'");
        assertThatThrownBy(() -> RestartCommands.of(Manager.COMMAND, " ", List.of("web"), Set.of()))
                .hasMessageContaining("restart.command");
        assertThatThrownBy(() -> Manager.of("upstart")).hasMessageContaining("none of systemd, supervisor, command");
        assertThat(Manager.of("supervisor")).isEqualTo(Manager.SUPERVISOR);
    }

    private static List<Restart> concat(List<Restart> a, List<Restart> b) {
        List<Restart> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
