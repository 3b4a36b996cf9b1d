package org.wharf.deploy.restart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wharf.deploy.inventory.DeployInventory;
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
        List<Restart> systemd = RestartCommands.of(restart("systemd", null), List.of("catalogue_gunicorn"));
        List<Restart> supervisor = RestartCommands.of(restart("supervisor", null), List.of("topobank-django", "topobank:celery"));

        try (SshSession session = SshSession.open(SshTestHost.shared().sshHost(), SshOptions.DEFAULTS)) {
            for (Restart restart : concat(systemd, supervisor)) {
                CommandResult result = session.run("PATH='" + bin + "':$PATH; " + restart.command(), Duration.ofSeconds(30));
                assertThat(result.succeeded()).as(result.outputTail()).isTrue();
            }
        }

        assertThat(Files.readAllLines(log)).containsExactly("sudo -n systemctl restart -- catalogue_gunicorn",
                "supervisorctl restart topobank-django", "supervisorctl restart topobank:celery");
    }

    @Test
    void aConfiguredCommandGetsTheServiceAsItsLastWord() throws Exception {
        Path script = temp.resolve("restart.sh");
        Path log = temp.resolve("restarted");
        Files.writeString(script, "#!/bin/sh\necho \"$# $1\" >> '" + log + "'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<Restart> restarts = RestartCommands.of(restart("command", script.toString()), List.of("web", "a service; reboot"));
        try (SshSession session = SshSession.open(SshTestHost.shared().sshHost(), SshOptions.DEFAULTS)) {
            for (Restart restart : restarts) {
                assertThat(session.run(restart.command(), Duration.ofSeconds(30)).succeeded()).isTrue();
            }
        }
        assertThat(Files.readAllLines(log)).as("one argument each, however the name reads")
                .containsExactly("1 web", "1 a service; reboot");
    }

    private static DeployInventory.Restart restart(String manager, String command) {
        DeployInventory.Restart restart = new DeployInventory.Restart();
        restart.setManager(manager);
        restart.setCommand(command);
        return restart;
    }

    private static List<Restart> concat(List<Restart> a, List<Restart> b) {
        List<Restart> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
