package org.wharf.common.message.deposit;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * The checker's findings, grouped as Software Heritage's deposit status detail groups them:
 * {@code {"archive":[{summary, fields}], "metadata":[…], "url":[…]}}, plus {@code client} for refusals
 * Software Heritage makes at its API (unknown client, collection not owned).
 */
public record CheckDetails(List<CheckDetail> archive, List<CheckDetail> metadata, List<CheckDetail> url,
                           List<CheckDetail> client) {

    public static final CheckDetails NONE = new CheckDetails(List.of(), List.of(), List.of(), List.of());

    public CheckDetails {
        archive = archive == null ? List.of() : List.copyOf(archive);
        metadata = metadata == null ? List.of() : List.copyOf(metadata);
        url = url == null ? List.of() : List.copyOf(url);
        client = client == null ? List.of() : List.copyOf(client);
    }

    @JsonIgnore
    public boolean isEmpty() {
        return archive.isEmpty() && metadata.isEmpty() && url.isEmpty() && client.isEmpty();
    }

    /** Every finding as "group: summary (fields)" lines, for people. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        add(lines, "client", client);
        add(lines, "url", url);
        add(lines, "archive", archive);
        add(lines, "metadata", metadata);
        return lines;
    }

    private static void add(List<String> lines, String group, List<CheckDetail> details) {
        for (CheckDetail detail : details) {
            lines.add(group + ": " + detail.summary() + (detail.fields().isEmpty() ? "" : " (" + String.join(", ", detail.fields()) + ")"));
        }
    }
}
