package org.wharf.checker.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** A 1 GiB archive is inspected in a JVM whose heap is capped at 256 MiB, as the checker runs. */
class LargeArchiveTest {

    @Test
    void aOneGibArchiveIsInspectedWithA256MibHeap() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process probe = new ProcessBuilder(List.of(java.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                LargeArchiveProbe.class.getName(), "1024")).redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean finished = probe.waitFor(10, TimeUnit.MINUTES);
        if (!finished) {
            probe.destroyForcibly();
        }
        assertThat(finished).as("probe finished").isTrue();
        assertThat(probe.exitValue()).as(output).isZero();
        assertThat(output).contains("format=tar.gz").contains("problems=[]");
        long uncompressed = Long.parseLong(output.replaceAll("(?s).*uncompressed=(\\d+).*", "$1"));
        long maxHeapMiB = Long.parseLong(output.replaceAll("(?s).*maxHeapMiB=(\\d+).*", "$1"));
        assertThat(uncompressed).isGreaterThanOrEqualTo(1L << 30);
        assertThat(maxHeapMiB).isLessThanOrEqualTo(256);
    }
}
