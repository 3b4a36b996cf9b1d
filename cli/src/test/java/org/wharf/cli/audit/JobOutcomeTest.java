package org.wharf.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.wharf.cli.support.UsageException;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.MessageType;
import org.wharf.common.message.Messages;
import org.wharf.common.message.backup.BackupVerified;
import org.wharf.common.message.deploy.RolledBack;

/** Every end of a job in the catalog gets an outcome, and what its name says agrees with it. */
class JobOutcomeTest {

    @Test
    void everyJobEndingTypeOfTheCatalogIsClassifiedAsItsNameSays() {
        int ends = 0;
        for (MessageType<?> type : Messages.all()) {
            Optional<JobOutcome> outcome = JobOutcome.of(record(type.type(), okPayload(type)));
            if (Messages.commandsEndedBy(type.type()).isEmpty()) {
                assertThat(outcome).as("%s ends no job", type.type()).isEmpty();
                continue;
            }
            ends++;
            String name = type.type();
            JobOutcome expected = name.contains("reject") ? JobOutcome.REJECTED
                    : name.contains("fail") ? JobOutcome.FAILED : JobOutcome.COMPLETED;
            assertThat(outcome).as("outcome of %s", name).contains(expected);
        }
        assertThat(ends).as("job-ending types in the catalog").isGreaterThanOrEqualTo(20);
    }

    @Test
    void aRollbackNobodyAskedForAndAVerdictWithAProblemAreFailures() {
        RolledBack unasked = new RolledBack("d1", "app", "prod", "r2", "r1", List.of("h1"), false, "health failed", "h1", "health");
        RolledBack asked = new RolledBack("d2", "app", "prod", "r2", "r1", List.of("h1"), true, null, null, null);
        assertThat(JobOutcome.of(record(Messages.ROLLED_BACK, unasked))).contains(JobOutcome.FAILED);
        assertThat(JobOutcome.of(record(Messages.ROLLED_BACK, asked))).contains(JobOutcome.COMPLETED);

        BackupVerified bad = new BackupVerified("db", "b1", "k", "sha256 differs", Map.of());
        BackupVerified good = new BackupVerified("db", "b1", "k", null, Map.of("t", 3L));
        assertThat(JobOutcome.of(record(Messages.BACKUP_VERIFIED, bad))).contains(JobOutcome.FAILED);
        assertThat(JobOutcome.of(record(Messages.BACKUP_VERIFIED, good))).contains(JobOutcome.COMPLETED);

        // A payload that cannot be read does not tell that the job was done.
        assertThat(JobOutcome.of(record(Messages.ROLLED_BACK.type(), "not json".getBytes()))).contains(JobOutcome.FAILED);
    }

    @Test
    void theOptionTakesTheThreeNamesOnly() {
        assertThat(JobOutcome.parse("--outcome", "failed")).isEqualTo(JobOutcome.FAILED);
        assertThat(JobOutcome.parse("--outcome", "rejected")).isEqualTo(JobOutcome.REJECTED);
        assertThat(JobOutcome.parse("--outcome", "completed")).isEqualTo(JobOutcome.COMPLETED);
        assertThatThrownBy(() -> JobOutcome.parse("--outcome", "FAILED")).isInstanceOf(UsageException.class)
                .hasMessage("--outcome must be failed, rejected or completed, not 'FAILED'");
    }

    /** A payload that reads as a success for the two types whose outcome is in their payload. */
    private static byte[] okPayload(MessageType<?> type) {
        if (type.equals(Messages.ROLLED_BACK)) {
            return Messages.ROLLED_BACK.write(new RolledBack("d", "a", "e", "r2", "r1", List.of(), true, null, null, null));
        }
        if (type.equals(Messages.BACKUP_VERIFIED)) {
            return Messages.BACKUP_VERIFIED.write(new BackupVerified("db", "b", "k", null, Map.of()));
        }
        return "{}".getBytes();
    }

    private static <T> Envelope record(MessageType<T> type, T payload) {
        return record(type.type(), type.write(payload));
    }

    private static Envelope record(String type, byte[] data) {
        return Envelope.first("/test", type, "k", "test", data);
    }
}
