package org.wharf.common.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.wharf.common.consumer.Subscriptions;
import org.wharf.common.consumer.UnsupportedCommands;
import org.wharf.common.message.Messages;
import org.wharf.common.outbox.OutboxRelay;
import org.wharf.common.testsupport.SharedInfrastructure;

/**
 * The relay's housekeeping forgets inbox rows older than the longest topic retention (400 days by
 * default, wharf.audit's and the events topics'), as it does sent outbox rows, and keeps younger ones.
 */
class InboxPurgeTest {

    private static final String SCHEMA = "inboxpurgetest";

    @SpringBootApplication
    static class InboxPurgeTestApplication {
        @Bean
        Subscriptions subscriptions() {
            return UnsupportedCommands.answer(Subscriptions.builder(), List.of(Messages.DEPLOY, Messages.ROLLBACK),
                    Messages.DEPLOY_COMMAND_REJECTED, "inbox-purge-test").build();
        }
    }

    @Test
    void inboxRowsOlderThanTheLongestRetentionArePurgedAndYoungerOnesKept() {
        JdbcTemplate superuser = new JdbcTemplate(SharedInfrastructure.get().postgres().superuser());
        try (ConfigurableApplicationContext service = SharedInfrastructure.startService(InboxPurgeTestApplication.class,
                "inbox-purge-test", SCHEMA, Map.of("wharf.outbox.relay-enabled", false))) {
            String table = SCHEMA + ".inbox";
            superuser.update("insert into " + table + " (ce_id, ce_type, topic, received_at) values "
                    + "('old', 't', 'wharf.deploy.commands', now() - interval '401 days'), "
                    + "('recent', 't', 'wharf.deploy.commands', now() - interval '399 days')");

            service.getBean(OutboxRelay.class).housekeepNow();

            List<String> left = superuser.queryForList("select ce_id from " + table + " where ce_id in ('old', 'recent')",
                    String.class);
            assertThat(left).containsExactly("recent");
        }
    }
}
