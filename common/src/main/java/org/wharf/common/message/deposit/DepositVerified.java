package org.wharf.common.message.deposit;

import java.time.Instant;

import org.wharf.common.message.Required;

/**
 * The checker found the deposit fit to load; it carries what the loader needs (where the objects
 * are, and what the metadata says of the release: version and dates, as written), and the warnings
 * (findings that do not prevent loading, such as a missing metadata provenance).
 */
public record DepositVerified(String depositId, String collection, String client, String originUrl,
                              StoredObject archive, StoredObject metadata, CheckDetails warnings,
                              String softwareVersion, String dateCreated, String datePublished, Instant receivedAt) {

    public DepositVerified {
        Required.text(depositId, "depositId");
        Required.field(archive, "archive");
        warnings = warnings == null ? CheckDetails.NONE : warnings;
    }
}
