package org.wharf.loader.deposit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class ReleaseDatesTest {

    @Test
    void everyFormCodeMetaAllowsBecomesAnInstantWithItsOffsetOrUtc() {
        assertThat(ReleaseDates.parse("2017-10-07T15:17:08+02:00")).contains(OffsetDateTime.of(2017, 10, 7, 15, 17, 8, 0, ZoneOffset.ofHours(2)));
        assertThat(ReleaseDates.parse("2017-10-07T15:17:08")).contains(OffsetDateTime.of(2017, 10, 7, 15, 17, 8, 0, ZoneOffset.UTC));
        assertThat(ReleaseDates.parse("2017-10-07")).contains(OffsetDateTime.of(2017, 10, 7, 0, 0, 0, 0, ZoneOffset.UTC));
        assertThat(ReleaseDates.parse("2017-10")).contains(OffsetDateTime.of(2017, 10, 1, 0, 0, 0, 0, ZoneOffset.UTC));
        assertThat(ReleaseDates.parse("2017")).contains(OffsetDateTime.of(2017, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
        assertThat(ReleaseDates.parse("next tuesday")).isEmpty();
        assertThat(ReleaseDates.parse(null)).isEmpty();
    }
}
