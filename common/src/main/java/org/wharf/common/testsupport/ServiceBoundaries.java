package org.wharf.common.testsupport;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The boundaries the architecture promises, read from a module's compiled classes (ArchUnit), so that
 * a fully qualified reference counts as much as an import: its capability packages
 * ({@code org.wharf.<module>.<capability>}) form no cycle; an {@code internal} package is used only
 * from within the capability it belongs to; it uses no other Wharf module than {@code common} and those
 * it names. Each module's boundary test asserts that {@link #of} is empty.
 */
public final class ServiceBoundaries {

    private ServiceBoundaries() {
    }

    /** The violations of module {@code org.wharf.<module>} (its main classes), one line each; {@code mayUse}: modules besides common. */
    public static List<String> of(String module, String... mayUse) {
        String root = "org.wharf." + module;
        // The module's own classes are enough: a dependency's package is in the class file that names it.
        ArchConfiguration.get().setResolveMissingDependenciesFromClassPath(false);
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(root);
        if (classes.isEmpty()) {
            throw new IllegalStateException("no compiled classes of " + root + " on the class path");
        }
        return violations(classes, root, mayUse);
    }

    /** The violations among {@code classes}, of the module whose root package is {@code root}. */
    public static List<String> violations(JavaClasses classes, String root, String... mayUse) {
        Set<String> violations = new LinkedHashSet<>();
        slices().matching(root + ".(*)..").should().beFreeOfCycles().allowEmptyShould(true).evaluate(classes)
                .getFailureReport().getDetails().stream()
                .filter(line -> line.startsWith("Cycle detected"))
                .map(ServiceBoundaries::cycle)
                .forEach(violations::add);
        List<String> allowed = new ArrayList<>(List.of(root, "org.wharf.common"));
        for (String module : mayUse) {
            allowed.add("org.wharf." + module);
        }
        for (JavaClass origin : classes) {
            for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                JavaClass target = dependency.getTargetClass();
                String targetPackage = target.getPackageName();
                if (!targetPackage.startsWith("org.wharf.")) {
                    continue;
                }
                String from = origin.getPackageName();
                int internal = (targetPackage + ".").indexOf(".internal.");
                if (internal > 0) {
                    String owner = targetPackage.substring(0, internal);
                    if (!from.equals(owner) && !from.startsWith(owner + ".")) {
                        violations.add(outer(origin) + " uses " + outer(target) + ", internal to " + owner);
                    }
                }
                if (allowed.stream().noneMatch(module -> targetPackage.equals(module) || targetPackage.startsWith(module + "."))) {
                    violations.add(outer(origin) + " uses " + outer(target) + ", of another module");
                }
            }
        }
        return List.copyOf(violations);
    }

    /** ArchUnit's cycle, without the dependencies it lists after: "cycle between capabilities: a -> b -> a". */
    private static String cycle(String detail) {
        return "cycle between capabilities: " + detail.lines().takeWhile(line -> !line.strip().matches("\\d+\\. .*"))
                .map(String::strip).collect(Collectors.joining(" "))
                .replaceFirst("^Cycle detected: ", "").replace("Slice ", "");
    }

    /** A nested class is reported as the class that holds it. */
    private static String outer(JavaClass javaClass) {
        String name = javaClass.getName();
        int nested = name.indexOf('$');
        return nested < 0 ? name : name.substring(0, nested);
    }
}
