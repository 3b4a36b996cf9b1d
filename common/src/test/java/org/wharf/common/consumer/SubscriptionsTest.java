package org.wharf.common.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.wharf.common.message.Messages;
import org.wharf.common.message.WharfService;
import org.wharf.common.topic.Topic;

/** A service's subscriptions are what the message catalog says it reads, or they are refused. */
class SubscriptionsTest {

    static void ignore(Delivery<?> delivery) {
    }

    @Test
    void subscriptionsHandlingWhatTheCatalogSaysAreBuiltAndConsumeTheirTopics() {
        Subscriptions subscriptions = Subscriptions.of(WharfService.LOADER)
                .on(Messages.DEPOSIT_VERIFIED, SubscriptionsTest::ignore)
                .on(Messages.LOAD_DEPOSIT, SubscriptionsTest::ignore)
                .on(Messages.RESCHEDULE_DEPOSIT, SubscriptionsTest::ignore)
                .build();
        assertThat(subscriptions.topics()).containsExactlyInAnyOrder(
                Topic.CHECKER_EVENTS.topicName(), Topic.LOADER_COMMANDS.topicName());
        assertThat(WharfService.LOADER.inputs()).containsExactly(Topic.LOADER_COMMANDS, Topic.CHECKER_EVENTS);
    }

    @Test
    void aTypeTheCatalogDoesNotNameTheServiceAReaderOfIsRefused() {
        assertThatThrownBy(() -> Subscriptions.of(WharfService.LOADER)
                .on(Messages.DEPOSIT_VERIFIED, SubscriptionsTest::ignore)
                .on(Messages.LOAD_DEPOSIT, SubscriptionsTest::ignore)
                .on(Messages.RESCHEDULE_DEPOSIT, SubscriptionsTest::ignore)
                .on(Messages.DEPOSIT_REJECTED, SubscriptionsTest::ignore)
                .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the subscriptions of loader-service disagree with the message catalog")
                .hasMessageContaining("handles " + Messages.DEPOSIT_REJECTED.type() + ", which the catalog does not say it reads");
    }

    @Test
    void aTypeTheCatalogSaysTheServiceReadsLeftWithoutAHandlerIsRefused() {
        assertThatThrownBy(() -> Subscriptions.of(WharfService.CHECKER)
                .on(Messages.DEPOSIT_RECEIVED, SubscriptionsTest::ignore)
                .on(Messages.CREATE_CLIENT, SubscriptionsTest::ignore)
                .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has no handler for " + Messages.CHECK_DEPOSIT.type());
    }

    @Test
    void followingTopicsOtherThanTheCatalogsIsRefused() {
        Subscriptions.Builder scheduler = Subscriptions.of(WharfService.SCHEDULER);
        Messages.readBy(WharfService.SCHEDULER).forEach(type -> scheduler.on(type, SubscriptionsTest::ignore));
        scheduler.onEveryRecordOf(Topic.DEPLOY_EVENTS, SubscriptionsTest::ignore);
        assertThatThrownBy(scheduler::build).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("follows every record of [" + Topic.DEPLOY_EVENTS.topicName() + "]");

        Subscriptions.Builder whole = Subscriptions.of(WharfService.SCHEDULER);
        Messages.readBy(WharfService.SCHEDULER).forEach(type -> whole.on(type, SubscriptionsTest::ignore));
        assertThat(whole.onEveryRecordOf(Messages.followedWholeBy(WharfService.SCHEDULER), SubscriptionsTest::ignore)
                .build().topics()).contains(Topic.BACKUP_EVENTS.topicName(), Topic.SCHEDULER_COMMANDS.topicName());
    }

    @Test
    void theCatalogsReadersAreTheServicesThatHandleAType() {
        assertThat(Messages.readersOf(Messages.BACKUP_COMPLETED)).containsExactly(WharfService.DEPLOY, WharfService.SCHEDULER);
        assertThat(Messages.readersOf(Messages.RUN_BACKUP)).containsExactly(WharfService.BACKUP);
        assertThat(Messages.readersOf(Messages.SCHEDULE_FIRED)).isEmpty();
        assertThat(Messages.writerOf(Messages.DEPOSIT_LOADED)).contains(WharfService.LOADER);
        assertThat(Messages.writerOf(Messages.DEPOSIT_RECEIVED)).isEmpty();
    }
}
