package org.wharf.common.message.client;

import org.wharf.common.message.Keyed;
import org.wharf.common.message.Required;

/**
 * Registers a depositing client (or updates it): its username, a collection it may deposit into
 * (created if missing), and the provider URL every origin URL of its deposits must start with.
 */
public record CreateClient(String username, String collection, String providerUrl) implements Keyed {

    @Override
    public String aggregateKey() {
        return username;
    }


    public CreateClient {
        Required.text(username, "username");
        Required.text(collection, "collection");
        Required.text(providerUrl, "providerUrl");
    }
}
