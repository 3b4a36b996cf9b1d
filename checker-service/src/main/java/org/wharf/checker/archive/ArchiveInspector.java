package org.wharf.checker.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.wharf.common.archive.ArchiveLimits;
import org.wharf.common.archive.ArchiveReader;
import org.wharf.common.archive.TarEntry;
import org.wharf.common.archive.TarReader;
import org.wharf.common.archive.ZipReader;

/**
 * Decides whether a deposited archive is fit to load: supported format, readable to its end, no hostile entries,
 * within the resource limits. Reading (format, limits, metering, raw tar names) is the shared
 * {@link ArchiveReader}'s, which the loader uses too; what is judged here is the entries.
 * <p>
 * Stateless and thread-safe. Memory does not grow with the archive's size: buffers, about 16 bytes per entry for
 * duplicate detection and, for zip, Commons Compress's view of the central directory, bounded before it is loaded.
 * </p>
 */
public final class ArchiveInspector {

    /**
     * Reads {@code archive} to its end (unless a resource limit is crossed: then reading stops at once) and reports
     * on it. Does not close {@code archive}.
     *
     * @throws IOException only when {@code archive} itself fails or the scratch directory cannot be used: both are
     *                     transient, the caller retries. Every problem of the archive is in the report instead.
     */
    public ArchiveReport inspect(InputStream archive, ArchiveLimits limits, Path scratchDir) throws IOException {
        Findings findings = new Findings();
        EntryChecks checks = new EntryChecks(findings);
        ArchiveReader.Outcome outcome = new ArchiveReader(limits).read(archive, scratchDir, new ArchiveReader.Entries<RuntimeException>() {
            @Override
            public void tar(TarReader tar) throws IOException {
                TarEntry entry;
                while ((entry = tar.next()) != null) {
                    checks.check(TarInspection.scanned(entry));
                }
            }

            @Override
            public void zip(ZipReader zip) throws IOException {
                ZipInspection inspection = new ZipInspection(zip, checks, findings);
                ZipArchiveEntry entry;
                while ((entry = zip.next()) != null) {
                    inspection.inspect(entry);
                }
            }
        });
        if (outcome.refusal() instanceof ArchiveReader.LimitCrossed crossed) {
            findings.add(crossed.limit().summary(), crossed.limit().fields());
        } else {
            if (outcome.refusal() instanceof ArchiveReader.Unsupported unsupported) {
                findings.add(ArchiveProblems.UNSUPPORTED,
                        unsupported.detected() == null ? List.of() : List.of(unsupported.detected()));
            } else if (outcome.refusal() instanceof ArchiveReader.Unreadable unreadable) {
                findings.unreadable(unreadable.reading(), null);
            }
            checks.finish();
            applyOnlyOneArchiveRule(outcome, checks, findings);
        }
        return new ArchiveReport(outcome.format(), outcome.size(), outcome.sha256(), outcome.entries(), outcome.entryBytes(),
                findings.toList());
    }

    /** Software Heritage rejects an archive whose single entry is itself an archive (judged by its name). */
    private static void applyOnlyOneArchiveRule(ArchiveReader.Outcome outcome, EntryChecks checks, Findings findings) {
        if (outcome.format() == null || findings.contains(ArchiveProblems.UNREADABLE) || outcome.entries() != 1) {
            return;
        }
        EntryChecks.Scanned only = checks.first();
        if (only != null && EntryNames.looksLikeArchive(only.listed())) {
            findings.add(ArchiveProblems.ONLY_ONE_ARCHIVE, List.of(only.display()));
        }
    }
}
