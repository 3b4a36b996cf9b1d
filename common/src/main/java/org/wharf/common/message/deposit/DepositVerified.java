package org.wharf.common.message.deposit;

import org.wharf.common.message.Required;

/**
 * The checker found the deposit fit to load; it carries what the loader needs, and the warnings
 * (findings that do not prevent loading, such as a missing metadata provenance).
 */
public record DepositVerified(String depositId, String collection, String client, String originUrl,
                              StoredObject archive, StoredObject metadata, CheckDetails warnings) {

    public DepositVerified {
        Required.text(depositId, "depositId");
        Required.field(archive, "archive");
        warnings = warnings == null ? CheckDetails.NONE : warnings;
    }
}
