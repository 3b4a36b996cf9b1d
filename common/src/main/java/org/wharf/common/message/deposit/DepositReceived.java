package org.wharf.common.message.deposit;

import java.time.Instant;

import org.wharf.common.message.Required;

/** A deposit was uploaded to the deposits bucket and asks to be checked and loaded. */
public record DepositReceived(String depositId, String collection, String client, String originUrl,
                              StoredObject archive, StoredObject metadata, Instant receivedAt) {

    public DepositReceived {
        Required.text(depositId, "depositId");
        Required.text(collection, "collection");
        Required.text(client, "client");
        Required.field(archive, "archive");
        Required.field(archive.size(), "archive.size");
        Required.text(archive.sha256(), "archive.sha256");
        Required.field(metadata, "metadata");
        Required.field(receivedAt, "receivedAt");
    }
}
