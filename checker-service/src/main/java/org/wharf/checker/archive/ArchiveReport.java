package org.wharf.checker.archive;

import java.util.List;

import org.wharf.common.message.deposit.CheckDetail;

/**
 * What {@link ArchiveInspector} found in one archive.
 *
 * @param format            {@code zip}, {@code tar}, {@code tar.gz}, {@code tar.bz2}, {@code tar.xz}, or null when
 *                          the content is not a supported archive
 * @param size              bytes read from the stream, i.e. the whole object; null when reading stopped early
 *                          because a resource limit was crossed
 * @param sha256            lowercase hex SHA-256 of exactly those bytes; null in the same case as {@code size}
 * @param entries           entries seen (all of them unless reading stopped early)
 * @param uncompressedBytes bytes of entry content streamed, as actually decompressed
 * @param problems          why the archive is not fit to load; empty when it is
 */
public record ArchiveReport(String format, Long size, String sha256, long entries, long uncompressedBytes,
        List<CheckDetail> problems) {

    public ArchiveReport {
        problems = problems == null ? List.of() : List.copyOf(problems);
    }

    /** True when nothing prevents loading the archive. */
    public boolean fit() {
        return problems.isEmpty();
    }
}
