package org.wharf.common.message.client;

import java.util.List;

import org.wharf.common.message.Required;

/** A client as it now stands: every collection it may deposit into; {@code updated} if it existed before. */
public record ClientCreated(String username, List<String> collections, String providerUrl, boolean updated) {

    public ClientCreated {
        Required.text(username, "username");
        collections = collections == null ? List.of() : List.copyOf(collections);
    }
}
