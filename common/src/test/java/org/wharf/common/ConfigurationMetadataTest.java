package org.wharf.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.wharf.common.json.WharfJson;

import tools.jackson.databind.JsonNode;

/** The configuration processor describes common's wharf.* settings, so that IDEs complete and document them. */
class ConfigurationMetadataTest {

    @Test
    void commonsWharfSettingsAreDescribedWithTheirDefaults() throws Exception {
        List<String> names = new ArrayList<>();
        JsonNode readyMaxAge = null;
        for (URL url : Collections.list(getClass().getClassLoader().getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = url.openStream()) {
                for (JsonNode property : WharfJson.MAPPER.readTree(in).get("properties")) {
                    String name = property.get("name").asString();
                    if (name.startsWith("wharf.")) {
                        names.add(name);
                        if (name.equals("wharf.outbox.ready-max-age")) {
                            readyMaxAge = property;
                        }
                    }
                }
            }
        }
        assertThat(names).contains("wharf.outbox.ready-max-age", "wharf.health.broker-timeout", "wharf.health.s3", "wharf.logging.json",
                "wharf.service-name", "wharf.consumer.concurrency", "wharf.outbox.batch-size");
        assertThat(readyMaxAge).isNotNull();
        assertThat(readyMaxAge.get("type").asString()).isEqualTo("java.time.Duration");
        assertThat(readyMaxAge.get("description").asString()).contains("oldest unsent record");
    }
}
