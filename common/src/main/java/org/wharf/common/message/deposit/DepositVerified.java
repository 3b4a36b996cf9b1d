package org.wharf.common.message.deposit;

import java.util.List;

import org.wharf.common.message.Problem;
import org.wharf.common.message.Required;

/** The checker found the deposit fit to load; it carries what the loader needs, and any warnings. */
public record DepositVerified(String depositId, String collection, String client, String originUrl,
                              StoredObject archive, StoredObject metadata, List<Problem> warnings) {

    public DepositVerified {
        Required.text(depositId, "depositId");
        Required.field(archive, "archive");
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }
}
