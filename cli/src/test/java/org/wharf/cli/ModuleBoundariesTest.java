package org.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The boundaries the architecture promises, checked on the sources: a service uses {@code common} and
 * itself, never another service; an {@code internal} package is used only by the capability it belongs
 * to; {@code common} uses no service.
 */
class ModuleBoundariesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> SERVICES = List.of("checker", "loader", "backup", "deploy", "scheduler");
    private static final Pattern WHARF_REFERENCE = Pattern.compile("\\borg\\.wharf\\.([a-z]+)((?:\\.[a-z]\\w*)*)");

    @Test
    void servicesDependOnCommonAndThemselvesOnly() throws IOException {
        List<String> violations = new ArrayList<>();
        for (String service : SERVICES) {
            for (Path file : javaFiles(ROOT.resolve(service + "-service/src"))) {
                for (String module : referencedModules(file)) {
                    if (!module.equals(service) && !module.equals("common")) {
                        violations.add(ROOT.relativize(file) + " uses org.wharf." + module);
                    }
                }
            }
        }
        for (Path file : javaFiles(ROOT.resolve("common/src"))) {
            for (String module : referencedModules(file)) {
                if (!module.equals("common")) {
                    violations.add(ROOT.relativize(file) + " uses org.wharf." + module);
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void internalPackagesAreUsedOnlyByTheirOwnCapability() throws IOException {
        List<String> violations = new ArrayList<>();
        Pattern internalImport = Pattern.compile("import (org\\.wharf(?:\\.\\w+)+)\\.internal\\.");
        for (Path file : javaFiles(ROOT)) {
            String source = Files.readString(file);
            Matcher packageLine = Pattern.compile("package ([\\w.]+);").matcher(source);
            String pkg = packageLine.find() ? packageLine.group(1) : "";
            Matcher matcher = internalImport.matcher(source);
            while (matcher.find()) {
                String owner = matcher.group(1);
                if (!pkg.equals(owner) && !pkg.startsWith(owner + ".")) {
                    violations.add(ROOT.relativize(file) + " (" + pkg + ") uses " + owner + ".internal");
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void theCheckFindsAViolationWhenThereIsOne() throws IOException {
        Path file = Files.createTempFile("Sample", ".java");
        Files.writeString(file, "package org.wharf.checker.x;\nimport org.wharf.loader.swhid.ObjectId;\n");
        assertThat(referencedModules(file)).contains("loader");
        Files.delete(file);
    }

    private static List<String> referencedModules(Path file) throws IOException {
        List<String> modules = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("import ") || line.startsWith("import static ")) {
                Matcher matcher = WHARF_REFERENCE.matcher(line);
                if (matcher.find()) {
                    modules.add(matcher.group(1));
                }
            }
        }
        return modules;
    }

    private static List<Path> javaFiles(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.toString().contains("/target/"))
                    .toList();
        }
    }
}
