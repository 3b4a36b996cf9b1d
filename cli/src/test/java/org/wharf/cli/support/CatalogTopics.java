package org.wharf.cli.support;

import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.wharf.common.topic.TopicCatalogConfiguration;
import org.wharf.common.topic.TopicProperties;

/** The catalog's topics on a broker no service has started against (the services create them at start). */
public final class CatalogTopics {

    private CatalogTopics() {
    }

    public static void create(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(TopicCatalogConfiguration.newTopics(new TopicProperties())).values().values().forEach(created -> {
                try {
                    created.get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }
}
