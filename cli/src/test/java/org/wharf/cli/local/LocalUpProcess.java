package org.wharf.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.wharf.cli.Wharf;

/** {@code wharf local up} in a JVM of its own, as an operator runs it, for the tests of the local stack. */
final class LocalUpProcess {

    private LocalUpProcess() {
    }

    /** Starts it on free ports, its output going to {@code log}; {@code started} gets the process, for the test to stop. */
    static Process start(List<Process> started, Path home, Path data, Path log, String... more) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1536m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Wharf.class.getName(),
                "local", "up", "--data-dir", data.toString(), "--kafka-port", "0", "--postgres-port", "0", "--s3-port", "0",
                "--management-port-base", "0"));
        command.addAll(List.of(more));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("WHARF_HOME", home.toString());
        builder.environment().put("USER", "alice");
        Process process = builder.start();
        started.add(process);
        return process;
    }

    /** Waits for the "ready in" line; returns the output so far. */
    static String awaitReady(Process process, Path log, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String output = Files.exists(log) ? Files.readString(log) : "";
            if (output.contains("ready in ")) {
                return output;
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("wharf local up " + (process.isAlive() ? "not ready within " + timeout
                        : "exited with status " + process.exitValue()) + ":\n" + output);
            }
            Thread.sleep(250);
        }
    }

    /** A tar.gz of one README saying {@code text}. */
    static Path archive(Path work, String name, String text) throws Exception {
        Path tree = Files.createDirectories(work.resolve("tree-" + name));
        Files.writeString(tree.resolve("README"), text);
        Path archive = work.resolve(name + ".tar.gz");
        Process tar = new ProcessBuilder("tar", "-czf", archive.toString(), "-C", tree.toString(), "README")
                .redirectErrorStream(true).start();
        String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tar.waitFor()).as(output).isZero();
        return archive;
    }

    static Path metadata(Path work) throws IOException {
        return Files.writeString(work.resolve("metadata.xml"), """
                <?xml version="1.0"?>
                <entry xmlns="http://www.w3.org/2005/Atom" xmlns:codemeta="https://doi.org/10.5063/SCHEMA/CODEMETA-2.0">
                  <title>A kept deposit</title>
                  <author><name>Alice</name></author>
                </entry>
                """);
    }
}
