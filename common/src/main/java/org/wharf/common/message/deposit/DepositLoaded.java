package org.wharf.common.message.deposit;

import org.wharf.common.message.Required;

/**
 * The deposit is in the archive. {@code directory} is the {@code swh:1:dir:} id of the archive's tree;
 * release, snapshot and context are filled once the loader builds the whole object graph.
 */
public record DepositLoaded(String depositId, String directory, String release, String snapshot,
                            String originUrl, String context) {

    public DepositLoaded {
        Required.text(depositId, "depositId");
        Required.text(directory, "directory");
    }
}
