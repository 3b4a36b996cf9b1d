package org.wharf.checker.archive;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.wharf.common.archive.TarEntry;

/** A tar entry as the checks see it: every name and link target its headers give it, decoded and judged. */
final class TarInspection {

    private TarInspection() {
    }

    static EntryChecks.Scanned scanned(TarEntry entry) {
        // Every name the archive gives this entry: extractors differ on which one wins, so all are judged.
        byte[] name = entry.name();
        Set<String> variants = new LinkedHashSet<>();
        boolean control = false;
        for (byte[] variant : entry.names()) {
            variants.add(EntryNames.lenientUtf8(variant));
            control |= EntryNames.hasControl(variant);
        }
        String decoded = EntryNames.lenientUtf8(name);
        List<String> linkTargets = entry.linkTargets().stream().map(EntryNames::lenientUtf8).toList();
        return new EntryChecks.Scanned(EntryNames.printable(name, false), decoded,
                // Python's tarfile, which Software Heritage uses, lists directories without their slash
                decoded.replaceAll("/+$", ""),
                List.copyOf(variants), EntryNames.strictUtf8(name) == null, control, kind(entry.kind()), linkTargets);
    }

    private static EntryChecks.Kind kind(TarEntry.Kind kind) {
        return switch (kind) {
            case HARD_LINK -> EntryChecks.Kind.HARD_LINK;
            case SYMLINK -> EntryChecks.Kind.SYMLINK;
            case SPECIAL -> EntryChecks.Kind.SPECIAL;
            case DIRECTORY -> EntryChecks.Kind.DIRECTORY;
            // other types extract as plain files (GNU tar), as Software Heritage's loader would take them
            case FILE, OTHER -> EntryChecks.Kind.FILE;
        };
    }
}
