package org.wharf.common.json;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapper for payloads. Shared by services and the CLI (which has no Spring context), so
 * every writer and reader agrees: camelCase, ISO-8601 times, unknown fields ignored (additive payload
 * changes must not break older readers; breaking changes get a new ce_type version instead).
 */
public final class WharfJson {

    public static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private WharfJson() {
    }
}
