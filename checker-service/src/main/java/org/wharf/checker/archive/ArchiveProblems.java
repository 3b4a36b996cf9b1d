package org.wharf.checker.archive;

/**
 * Summaries of the problems {@link ArchiveInspector} reports. The first three reuse Software Heritage's deposit
 * checker wording verbatim (swh-deposit, {@code swh/deposit/loader/checker.py}, formerly
 * {@code swh/deposit/api/private/deposit_check.py}), so that depositors see the messages they know.
 */
public final class ArchiveProblems {

    /** Content is neither zip nor a (possibly gzip/bzip2/xz compressed) tar. Fields: detected type, if any. */
    public static final String UNSUPPORTED = "Mandatory archive type is not supported";
    /** Corrupt or truncated archive. Fields: the format, then the unreadable entries when known. */
    public static final String UNREADABLE = "At least one of its associated archives is not readable";
    /** The only entry is itself an archive (SWH's rule). Fields: that entry. */
    public static final String ONLY_ONE_ARCHIVE = "Mandatory archive is invalid (i.e contains only one archive)";

    // Hostile entries: one problem per kind, fields are the offending entry names made printable.
    public static final String PARENT_SEGMENT = "entry paths with a '..' segment";
    public static final String ABSOLUTE_PATH = "entry paths that are absolute";
    public static final String SYMLINK_OUTSIDE = "symbolic links pointing outside the archive";
    public static final String HARD_LINK = "hard links are not accepted";
    public static final String SPECIAL_FILE = "devices, FIFOs and sockets are not accepted";
    public static final String DUPLICATE = "duplicate entries";
    public static final String INVALID_ENCODING = "entry names not valid in the archive's encoding";
    public static final String CONTROL_CHARACTERS = "entry names with control characters";

    // Resource limits: org.wharf.common.archive.ArchiveLimits names them, for the loader too.

    private ArchiveProblems() {
    }
}
