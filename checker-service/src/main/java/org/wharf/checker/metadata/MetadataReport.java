package org.wharf.checker.metadata;

import java.util.List;

import org.wharf.common.message.deposit.CheckDetail;

/**
 * What {@link MetadataChecker} found in one Atom/CodeMeta metadata document.
 *
 * <p>{@code problems} make the deposit unfit; {@code warnings} do not (Software Heritage's
 * "suggested fields"). The extracted values are trimmed text as the depositor wrote it, or
 * {@code null} when absent; they are only meaningful when {@link #accepted()} is true, since a
 * rejected document may hold them in an invalid form.
 *
 * @param title           first non-blank of {@code atom:title}, {@code atom:name}, {@code codemeta:name}
 * @param originUrl       the {@code url} of {@code swh:create_origin} (else {@code swh:add_to_origin})'s {@code swh:origin}
 * @param softwareVersion {@code codemeta:softwareVersion}
 * @param dateCreated     {@code codemeta:dateCreated}, unparsed
 * @param datePublished   {@code codemeta:datePublished}, unparsed
 */
public record MetadataReport(
        List<CheckDetail> problems,
        List<CheckDetail> warnings,
        String title,
        String originUrl,
        String softwareVersion,
        String dateCreated,
        String datePublished) {

    public MetadataReport {
        problems = problems == null ? List.of() : List.copyOf(problems);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** True when nothing makes the document unfit; warnings do not count. */
    public boolean accepted() {
        return problems.isEmpty();
    }

    /** A document refused before its content could be looked at (size, XML, root). */
    static MetadataReport rejected(CheckDetail problem) {
        return new MetadataReport(List.of(problem), List.of(), null, null, null, null, null);
    }
}
