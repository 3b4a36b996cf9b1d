package org.wharf.common.archive;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * One tar entry with every name and link target its headers give it, as the exact bytes stored.
 * Extractors differ on which name wins (ustar, xstar prefix, GNU long name, pax path, GNU sparse
 * name), so the checker judges {@link #names()} all; {@link #name()} is the one Commons Compress and
 * GNU tar extract to, which the loader hashes.
 *
 * @param header     Commons Compress's view (type, mode, sizes); its name is ISO-8859-1, i.e. raw bytes
 * @param ustarNames the main header's name with its ustar prefix, and with an xstar prefix (may be equal)
 * @param longNames  GNU long names, in the order read
 * @param localPax   this entry's pax records, raw values, in the order read
 * @param globalPax  the global pax records in force (accumulated over the archive)
 * @param linkField  the main header's link name field
 * @param longLinks  GNU long link names
 */
public record TarEntry(TarArchiveEntry header, List<byte[]> ustarNames, List<byte[]> longNames,
        List<Map<String, byte[]>> localPax, Map<String, byte[]> globalPax, byte[] linkField, List<byte[]> longLinks) {

    public enum Kind { FILE, DIRECTORY, SYMLINK, HARD_LINK, SPECIAL, OTHER }

    /** The pax records in force for this entry: global ones, overridden by local ones (an empty value deletes). */
    public Map<String, byte[]> pax() {
        Map<String, byte[]> merged = new HashMap<>(globalPax);
        for (Map<String, byte[]> local : localPax) {
            local.forEach((key, value) -> {
                if (value.length == 0) {
                    merged.remove(key);
                } else {
                    merged.put(key, value);
                }
            });
        }
        return merged;
    }

    /** The path an extractor writes: GNU sparse name (pax sparse formats), pax path, GNU long name, ustar name. */
    public byte[] name() {
        Map<String, byte[]> pax = pax();
        byte[] sparseName = pax.get("GNU.sparse.name");
        if (sparseName != null && header.isPaxGNUSparse()) {
            return sparseName;
        }
        if (pax.get("path") != null) {
            return pax.get("path");
        }
        if (!longNames.isEmpty()) {
            // chained long names: Commons Compress keeps the last one read
            return longNames.get(longNames.size() - 1);
        }
        // Commons Compress's reading of the ustar fields, ISO-8859-1: the exact bytes
        return header.getName().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Every name the archive gives this entry, {@link #name()} first. */
    public List<byte[]> names() {
        List<byte[]> names = new ArrayList<>();
        names.add(name());
        names.addAll(ustarNames);
        names.addAll(longNames);
        for (Map<String, byte[]> pax : allPax()) {
            addIfPresent(names, pax.get("path"));
            addIfPresent(names, pax.get("GNU.sparse.name"));
        }
        return names;
    }

    /** The symbolic link's target as an extractor writes it. */
    public byte[] linkTarget() {
        byte[] linkPath = pax().get("linkpath");
        if (linkPath != null) {
            return linkPath;
        }
        String name = header.getLinkName();
        return name == null ? new byte[0] : name.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Every non-empty target the archive gives this link. */
    public List<byte[]> linkTargets() {
        List<byte[]> targets = new ArrayList<>();
        addIfPresent(targets, linkField);
        longLinks.forEach(target -> addIfPresent(targets, target));
        allPax().forEach(pax -> addIfPresent(targets, pax.get("linkpath")));
        return targets;
    }

    public Kind kind() {
        // links first: a link whose name ends with '/' also passes for a directory
        if (header.isLink()) {
            return Kind.HARD_LINK;
        }
        if (header.isSymbolicLink()) {
            return Kind.SYMLINK;
        }
        if (header.isCharacterDevice() || header.isBlockDevice() || header.isFIFO()) {
            return Kind.SPECIAL;
        }
        if (header.isDirectory()) {
            return Kind.DIRECTORY;
        }
        byte type = header.getLinkFlag();
        boolean regular = type == TarConstants.LF_NORMAL || type == TarConstants.LF_OLDNORM
                || type == TarConstants.LF_CONTIG || header.isGNUSparse() || header.isPaxGNUSparse();
        return regular ? Kind.FILE : Kind.OTHER;
    }

    private List<Map<String, byte[]>> allPax() {
        List<Map<String, byte[]>> all = new ArrayList<>(localPax);
        all.add(globalPax);
        return all;
    }

    private static void addIfPresent(List<byte[]> into, byte[] value) {
        if (value != null && value.length > 0) {
            into.add(value);
        }
    }
}
