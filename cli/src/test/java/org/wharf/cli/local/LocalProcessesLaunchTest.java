package org.wharf.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a child of {@code wharf local up --processes} is launched: through Spring Boot's launcher only from a Boot jar. */
class LocalProcessesLaunchTest {

    @TempDir
    Path work;

    @Test
    void onlyAClassPathThatIsOneBootJarNeedsSpringBootsLauncher() throws IOException {
        Path boot = jar("boot.jar", "BOOT-INF/classes/");
        Path plain = jar("plain.jar", "org/");
        assertThat(LocalProcesses.isBootJar(boot.toString())).isTrue();
        assertThat(LocalProcesses.isBootJar(plain.toString())).as("./wharf's unpacked jar: classes at its root").isFalse();
        assertThat(LocalProcesses.isBootJar(boot + File.pathSeparator + plain)).as("a class path of several entries").isFalse();
        assertThat(LocalProcesses.isBootJar(work.toString())).as("a folder").isFalse();
        assertThat(LocalProcesses.isBootJar(work.resolve("missing.jar").toString())).isFalse();
    }

    private Path jar(String name, String entry) throws IOException {
        Path jar = work.resolve(name);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream stream = new JarOutputStream(out)) {
            stream.putNextEntry(new JarEntry(entry));
            stream.closeEntry();
        }
        return jar;
    }
}
