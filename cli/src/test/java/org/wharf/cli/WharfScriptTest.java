package org.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkout's {@code ./wharf} script: two commands started at once in a fresh clone build once. The
 * script is the real one, copied into a folder shaped like a checkout; its build ({@code mvnw}) and the
 * JVM ({@code java}) are stand-ins that record each call, the build taking a second as a real one takes
 * minutes. The jar is unpacked and its class-data archive made once too, under the same lock.
 */
class WharfScriptTest {

    @TempDir
    Path checkout;

    @Test
    void twoCommandsStartedAtOnceInAFreshCloneBuildOnce() throws Exception {
        Path script = Path.of("..", "wharf").toAbsolutePath().normalize();
        assumeTrue(Files.isExecutable(script), "the checkout's ./wharf script");
        assumeTrue(onPath("flock"), "flock (util-linux)");
        Files.copy(script, checkout.resolve("wharf"));
        Files.writeString(checkout.resolve("pom.xml"), "<project/>\n");
        Files.createDirectories(checkout.resolve("cli/src/main/java"));
        Path builds = checkout.resolve("builds.log");
        executable(checkout.resolve("mvnw"), "#!/bin/sh\necho build >> '" + builds + "'\nsleep 1\n"
                + "mkdir -p '" + checkout.resolve("cli/target") + "'\necho jar > '" + checkout.resolve("cli/target/wharf.jar") + "'\n");
        Path bin = Files.createDirectories(checkout.resolve("bin"));
        Path runs = checkout.resolve("runs.log");
        executable(bin.resolve("java"), "#!/bin/sh\necho \"$@\" >> '" + runs + "'\n");
        executable(checkout.resolve("wharf"), Files.readString(checkout.resolve("wharf")));

        List<Process> commands = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ProcessBuilder builder = new ProcessBuilder(checkout.resolve("wharf").toString(), "--version").redirectErrorStream(true);
            builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
            commands.add(builder.start());
        }
        for (Process command : commands) {
            String output = new String(command.getInputStream().readAllBytes());
            assertThat(command.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(command.exitValue()).as(output).isZero();
        }

        assertThat(Files.readAllLines(builds)).as("builds").hasSize(1);
        List<String> calls = Files.readAllLines(runs);
        assertThat(calls).as("both commands ran").filteredOn(line -> line.endsWith("--version")).hasSize(2);
        assertThat(calls).as("the jar unpacked once").filteredOn(line -> line.contains("extract --destination")).hasSize(1);
        assertThat(calls).as("its class-data archive made once").filteredOn(line -> line.contains("ClassWarmUp")).hasSize(1);
    }

    private static void executable(Path file, String text) throws Exception {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv("PATH").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
