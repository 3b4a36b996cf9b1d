package org.wharf.common.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every expected instant is worked out by hand. Europe/Paris switched in 2026 on 29 March at 01:00Z (02:00 CET became
 * 03:00 CEST) and on 25 October at 01:00Z (03:00 CEST became 02:00 CET).
 */
class ScheduleExpressionTest {

    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    /** Half-hour daylight saving, where Spring's own zoned arithmetic goes backwards. */
    private static final ZoneId LORD_HOWE = ZoneId.of("Australia/Lord_Howe");
    /** A Sunday. */
    private static final Instant SUNDAY_NOON = Instant.parse("2026-03-01T12:00:00Z");
    /** Not on a whole second, to show that {@code @every} counts from the whole second and {@code none} does not. */
    private static final Instant ANCHOR = Instant.parse("2026-01-01T10:00:00.750Z");

    private static List<Instant> nextTimes(String expression, String after, ZoneId zone, int count) {
        return ScheduleExpression.parse(expression).nextTimes(Instant.parse(after), zone, ANCHOR, count);
    }

    // ---- cron fields

    @Test
    void fiveFieldsAreClassicCronWithSecondZeroAndSixFieldsHaveSecondsFirst() {
        List<Instant> dailyAtTwo = List.of(Instant.parse("2026-03-02T02:00:00Z"), Instant.parse("2026-03-03T02:00:00Z"));
        assertThat(ScheduleExpression.parse("0 2 * * *").nextTimes(SUNDAY_NOON, UTC, ANCHOR, 2)).isEqualTo(dailyAtTwo);
        assertThat(ScheduleExpression.parse("0 0 2 * * *").nextTimes(SUNDAY_NOON, UTC, ANCHOR, 2)).isEqualTo(dailyAtTwo);

        assertThat(ScheduleExpression.parse("*/10 * * * * *").nextTimes(SUNDAY_NOON, UTC, ANCHOR, 3)).containsExactly(
                Instant.parse("2026-03-01T12:00:10Z"), Instant.parse("2026-03-01T12:00:20Z"),
                Instant.parse("2026-03-01T12:00:30Z"));
        assertThat(ScheduleExpression.parse("*/10 * * * *").nextTimes(SUNDAY_NOON, UTC, ANCHOR, 2)).containsExactly(
                Instant.parse("2026-03-01T12:10:00Z"), Instant.parse("2026-03-01T12:20:00Z"));
    }

    @Test
    void fieldsAreReadBySpringSoNamesWorkInAnyCase() {
        assertThat(ScheduleExpression.parse("0 9 * * MON").nextAfter(SUNDAY_NOON, UTC, ANCHOR))
                .contains(Instant.parse("2026-03-02T09:00:00Z"));
        assertThat(ScheduleExpression.parse("0 0 9 1 jan *").nextAfter(SUNDAY_NOON, UTC, ANCHOR))
                .contains(Instant.parse("2027-01-01T09:00:00Z"));
    }

    @Test
    void restrictingBothDayOfMonthAndDayOfWeekMatchesEitherAsRobfigCronDoes() {
        // Every Monday and every 1st (Spring alone would want a Monday the 1st: 2026-06-01).
        assertThat(ScheduleExpression.parse("0 0 1 * MON").nextTimes(SUNDAY_NOON, UTC, ANCHOR, 7)).containsExactly(
                Instant.parse("2026-03-02T00:00:00Z"), Instant.parse("2026-03-09T00:00:00Z"),
                Instant.parse("2026-03-16T00:00:00Z"), Instant.parse("2026-03-23T00:00:00Z"),
                Instant.parse("2026-03-30T00:00:00Z"), Instant.parse("2026-04-01T00:00:00Z"),
                Instant.parse("2026-04-06T00:00:00Z"));
        // With one of them '*' (or '?'), only the other restricts.
        assertThat(ScheduleExpression.parse("0 0 1 * *").nextAfter(SUNDAY_NOON, UTC, ANCHOR))
                .contains(Instant.parse("2026-04-01T00:00:00Z"));
        assertThat(ScheduleExpression.parse("0 0 0 ? * MON").nextAfter(SUNDAY_NOON, UTC, ANCHOR))
                .contains(Instant.parse("2026-03-02T00:00:00Z"));
    }

    @Test
    void cronIsReadOnTheWallClockOfTheZone() {
        ScheduleExpression nineAm = ScheduleExpression.parse("0 9 * * *");
        assertThat(nineAm.nextAfter(SUNDAY_NOON, PARIS, ANCHOR)).contains(Instant.parse("2026-03-02T08:00:00Z"));
        assertThat(nineAm.nextAfter(Instant.parse("2026-07-01T12:00:00Z"), PARIS, ANCHOR))
                .contains(Instant.parse("2026-07-02T07:00:00Z"));
    }

    @Test
    void textIsTheExpressionAsWrittenTrimmed() {
        assertThat(ScheduleExpression.parse("  0 2\t* *  *\n").text()).isEqualTo("0 2\t* *  *");
        assertThat(ScheduleExpression.parse(" @Daily ").text()).isEqualTo("@Daily");
        assertThat(ScheduleExpression.parse("0 2\t* *  *").nextAfter(SUNDAY_NOON, UTC, ANCHOR))
                .contains(Instant.parse("2026-03-02T02:00:00Z"));
    }

    // ---- macros

    @ParameterizedTest
    @CsvSource({
            "@yearly,   2027-01-01T00:00:00Z",
            "@annually, 2027-01-01T00:00:00Z",
            "@monthly,  2026-04-01T00:00:00Z",
            "@weekly,   2026-03-08T00:00:00Z",
            "@daily,    2026-03-02T00:00:00Z",
            "@midnight, 2026-03-02T00:00:00Z",
            "@hourly,   2026-03-01T13:00:00Z",
            "@WEEKLY,   2026-03-08T00:00:00Z",
            "@Midnight, 2026-03-02T00:00:00Z"})
    void macrosMeanWhatTheyMeanInRobfigCron(String macro, Instant expected) {
        assertThat(ScheduleExpression.parse(macro).nextAfter(SUNDAY_NOON, UTC, ANCHOR)).contains(expected);
    }

    @Test
    void macrosAreReadOnTheWallClockOfTheZone() {
        assertThat(ScheduleExpression.parse("@daily").nextAfter(SUNDAY_NOON, PARIS, ANCHOR))
                .contains(Instant.parse("2026-03-01T23:00:00Z"));
    }

    // ---- @every

    @Test
    void everyIsDueAtWholeIntervalsAfterTheAnchorTruncatedToTheSecond() {
        ScheduleExpression every = ScheduleExpression.parse("@every 1h30m");
        assertThat(every.nextAfter(Instant.parse("2025-12-31T00:00:00Z"), UTC, ANCHOR))
                .contains(Instant.parse("2026-01-01T11:30:00Z"));
        assertThat(every.nextAfter(ANCHOR, UTC, ANCHOR)).contains(Instant.parse("2026-01-01T11:30:00Z"));
        assertThat(every.nextAfter(Instant.parse("2026-01-01T11:29:59.999Z"), UTC, ANCHOR))
                .contains(Instant.parse("2026-01-01T11:30:00Z"));
        assertThat(every.nextAfter(Instant.parse("2026-01-01T11:30:00Z"), UTC, ANCHOR))
                .contains(Instant.parse("2026-01-01T13:00:00Z"));
        assertThat(every.nextTimes(Instant.parse("2026-01-01T11:30:00Z"), UTC, ANCHOR, 3)).containsExactly(
                Instant.parse("2026-01-01T13:00:00Z"), Instant.parse("2026-01-01T14:30:00Z"),
                Instant.parse("2026-01-01T16:00:00Z"));
    }

    @Test
    void everyFarInTheFutureIsArithmetic() {
        // 2026-01-01T10:00Z + 876566h = 2126-01-01T00:00Z, and 876566h is 584377 and a third intervals of 1h30m.
        assertThat(nextTimes("@every 1h30m", "2126-01-01T00:00:00Z", UTC, 2))
                .containsExactly(Instant.parse("2126-01-01T01:00:00Z"), Instant.parse("2126-01-01T02:30:00Z"));
        // About 2.5e11 intervals of a second: only arithmetic answers in time.
        assertThat(nextTimes("@every 1s", "9999-12-31T23:59:58.500Z", UTC, 1))
                .containsExactly(Instant.parse("9999-12-31T23:59:59Z"));
    }

    @Test
    void everyDoesNotDependOnTheZone() {
        ScheduleExpression every = ScheduleExpression.parse("@every 1h");
        Instant beforeTheSwitch = Instant.parse("2026-03-29T00:00:00Z");
        Instant anchor = Instant.parse("2026-03-28T00:00:00Z");
        assertThat(every.nextTimes(beforeTheSwitch, PARIS, anchor, 3))
                .isEqualTo(every.nextTimes(beforeTheSwitch, UTC, anchor, 3))
                .containsExactly(Instant.parse("2026-03-29T01:00:00Z"), Instant.parse("2026-03-29T02:00:00Z"),
                        Instant.parse("2026-03-29T03:00:00Z"));
    }

    @ParameterizedTest
    @CsvSource({
            "@every 90s,     2026-01-01T10:01:30Z",
            "@every 2h,      2026-01-01T12:00:00Z",
            "@every 1m30s,   2026-01-01T10:01:30Z",
            "@every 1.5h,    2026-01-01T11:30:00Z",
            "@every .5m,     2026-01-01T10:00:30Z",
            "@every 1h0m0s,  2026-01-01T11:00:00Z",
            // Under a second counts as a second, and fractions of a second are dropped, as in robfig/cron.
            "@every 500ms,   2026-01-01T10:00:01Z",
            "@every 1500ms,  2026-01-01T10:00:01Z",
            "@EVERY 2h,      2026-01-01T12:00:00Z",
            "@every   2h,    2026-01-01T12:00:00Z"})
    void everyTakesGoDurations(String expression, Instant firstDue) {
        assertThat(ScheduleExpression.parse(expression).nextAfter(ANCHOR, UTC, ANCHOR)).contains(firstDue);
    }

    // ---- none

    @ParameterizedTest
    @ValueSource(strings = {"none", "NONE", " None "})
    void noneIsDueOnceAtTheAnchorExactly(String none) {
        ScheduleExpression once = ScheduleExpression.parse(none);
        assertThat(once.once()).isTrue();
        assertThat(once.nextAfter(ANCHOR.minusMillis(1), PARIS, ANCHOR)).contains(ANCHOR);
        assertThat(once.nextAfter(ANCHOR, PARIS, ANCHOR)).isEmpty();
        assertThat(once.nextAfter(Instant.parse("2027-01-01T00:00:00Z"), PARIS, ANCHOR)).isEmpty();
        assertThat(once.nextTimes(Instant.parse("2025-01-01T00:00:00Z"), PARIS, ANCHOR, 5)).containsExactly(ANCHOR);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0 2 * * *", "0 0 2 * * *", "@daily", "@every 1h"})
    void onlyNoneIsOnce(String expression) {
        assertThat(ScheduleExpression.parse(expression).once()).isFalse();
    }

    // ---- nextTimes

    @Test
    void nextTimesGivesAsManyAsAsked() {
        ScheduleExpression daily = ScheduleExpression.parse("@daily");
        assertThat(daily.nextTimes(SUNDAY_NOON, UTC, ANCHOR, 0)).isEmpty();
        assertThat(daily.nextTimes(SUNDAY_NOON, UTC, ANCHOR, 1)).containsExactly(Instant.parse("2026-03-02T00:00:00Z"));
        assertThat(daily.nextTimes(SUNDAY_NOON, UTC, ANCHOR, 30)).hasSize(30)
                .endsWith(Instant.parse("2026-03-31T00:00:00Z"));
        assertThatThrownBy(() -> daily.nextTimes(SUNDAY_NOON, UTC, ANCHOR, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }

    // ---- daylight saving

    @ParameterizedTest
    @ValueSource(strings = {"0 30 2 * * *", "30 2 * * *"})
    void aTimeTheClocksSkipRunsOnceAtTheEndOfTheGap(String dailyAtHalfPastTwo) {
        assertThat(ScheduleExpression.parse(dailyAtHalfPastTwo)
                .nextTimes(Instant.parse("2026-03-27T12:00:00Z"), PARIS, ANCHOR, 4)).containsExactly(
                        Instant.parse("2026-03-28T01:30:00Z"), // 02:30 CET
                        Instant.parse("2026-03-29T01:00:00Z"), // 02:30 does not exist: 03:00 CEST
                        Instant.parse("2026-03-30T00:30:00Z"), // 02:30 CEST
                        Instant.parse("2026-03-31T00:30:00Z"));
    }

    @Test
    void aGapRunsOnceEvenWhenTheEndOfTheGapMatchesToo() {
        assertThat(nextTimes("0 2-3 * * *", "2026-03-28T12:00:00Z", PARIS, 3))
                .containsExactly(
                        Instant.parse("2026-03-29T01:00:00Z"), // 02:00 (skipped) and 03:00 CEST
                        Instant.parse("2026-03-30T00:00:00Z"),
                        Instant.parse("2026-03-30T01:00:00Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0 30 2 * * *", "30 2 * * *"})
    void aTimeTheClocksRepeatRunsOnlyTheFirstTime(String dailyAtHalfPastTwo) {
        ScheduleExpression daily = ScheduleExpression.parse(dailyAtHalfPastTwo);
        assertThat(daily.nextTimes(Instant.parse("2026-10-23T12:00:00Z"), PARIS, ANCHOR, 3)).containsExactly(
                Instant.parse("2026-10-24T00:30:00Z"), // 02:30 CEST
                Instant.parse("2026-10-25T00:30:00Z"), // the first 02:30, CEST; not 01:30Z, 02:30 CET
                Instant.parse("2026-10-26T01:30:00Z")); // 02:30 CET
        assertThat(daily.nextAfter(Instant.parse("2026-10-25T01:15:00Z"), PARIS, ANCHOR)) // 02:15 CET, the repeat
                .contains(Instant.parse("2026-10-26T01:30:00Z"));
    }

    @Test
    void anExpressionForSomeHoursOnlyKeepsToTheWallClockEvenWhenItFiresEveryMinute() {
        ScheduleExpression everyMinuteFromTwoToThree = ScheduleExpression.parse("* 2 * * *");
        assertThat(everyMinuteFromTwoToThree.nextTimes(Instant.parse("2026-03-29T00:00:00Z"), PARIS, ANCHOR, 2))
                .containsExactly(Instant.parse("2026-03-29T01:00:00Z"), Instant.parse("2026-03-30T00:00:00Z"));
        assertThat(everyMinuteFromTwoToThree.nextTimes(Instant.parse("2026-10-25T00:58:30Z"), PARIS, ANCHOR, 2))
                .containsExactly(Instant.parse("2026-10-25T00:59:00Z"), Instant.parse("2026-10-26T01:00:00Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0 * * * *", "0 0 * * * *", "@hourly"})
    void hourlyRunsEveryRealHourWhenTheClocksSpringForward(String hourly) {
        List<Instant> times = ScheduleExpression.parse(hourly)
                .nextTimes(Instant.parse("2026-03-28T22:30:00Z"), PARIS, ANCHOR, 5);
        assertThat(times).doesNotHaveDuplicates().isSortedAccordingTo(Comparator.naturalOrder()).containsExactly(
                Instant.parse("2026-03-28T23:00:00Z"), // 00:00 CET
                Instant.parse("2026-03-29T00:00:00Z"), // 01:00 CET
                Instant.parse("2026-03-29T01:00:00Z"), // 03:00 CEST, 02:00 does not exist
                Instant.parse("2026-03-29T02:00:00Z"),
                Instant.parse("2026-03-29T03:00:00Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0 * * * *", "0 0 * * * *", "@hourly"})
    void hourlyRunsEveryRealHourWhenTheClocksFallBack(String hourly) {
        List<Instant> times = ScheduleExpression.parse(hourly)
                .nextTimes(Instant.parse("2026-10-24T22:30:00Z"), PARIS, ANCHOR, 5);
        assertThat(times).doesNotHaveDuplicates().isSortedAccordingTo(Comparator.naturalOrder()).containsExactly(
                Instant.parse("2026-10-24T23:00:00Z"), // 01:00 CEST
                Instant.parse("2026-10-25T00:00:00Z"), // 02:00 CEST
                Instant.parse("2026-10-25T01:00:00Z"), // 02:00 CET
                Instant.parse("2026-10-25T02:00:00Z"), // 03:00 CET
                Instant.parse("2026-10-25T03:00:00Z"));
    }

    @Test
    void anExpressionForEveryHourLosesTheLocalTimesAGapSkips() {
        assertThat(nextTimes("30 * * * *", "2026-03-28T23:00:00Z", PARIS, 3))
                .containsExactly(
                        Instant.parse("2026-03-28T23:30:00Z"), // 00:30 CET
                        Instant.parse("2026-03-29T00:30:00Z"), // 01:30 CET
                        Instant.parse("2026-03-29T01:30:00Z")); // 03:30 CEST, 02:30 does not exist
    }

    @Test
    void everyTenSecondsKeepsGoingThroughBothSwitches() {
        ScheduleExpression everyTenSeconds = ScheduleExpression.parse("*/10 * * * * *");
        assertThat(everyTenSeconds.nextTimes(Instant.parse("2026-03-29T00:59:50Z"), PARIS, ANCHOR, 2))
                .containsExactly(Instant.parse("2026-03-29T01:00:00Z"), Instant.parse("2026-03-29T01:00:10Z"));
        assertThat(everyTenSeconds.nextTimes(Instant.parse("2026-10-25T00:59:50Z"), PARIS, ANCHOR, 2))
                .containsExactly(Instant.parse("2026-10-25T01:00:00Z"), Instant.parse("2026-10-25T01:00:10Z"));
    }

    @Test
    void halfHourSwitchesOfLordHoweAreHandledLikeTheOthers() {
        // 2026-04-05: at 02:00 +11:00 (2026-04-04T15:00Z) clocks go back to 01:30 +10:30.
        assertThat(nextTimes("@hourly", "2026-04-04T12:30:00Z", LORD_HOWE, 4))
                .containsExactly(
                        Instant.parse("2026-04-04T13:00:00Z"), // 00:00 +11:00
                        Instant.parse("2026-04-04T14:00:00Z"), // 01:00 +11:00
                        Instant.parse("2026-04-04T15:30:00Z"), // 02:00 +10:30
                        Instant.parse("2026-04-04T16:30:00Z"));
        assertThat(nextTimes("*/15 * * * *", "2026-04-04T14:20:00Z", LORD_HOWE, 5))
                .containsExactly(
                        Instant.parse("2026-04-04T14:30:00Z"), // 01:30 +11:00
                        Instant.parse("2026-04-04T14:45:00Z"), // 01:45 +11:00
                        Instant.parse("2026-04-04T15:00:00Z"), // 01:30 +10:30
                        Instant.parse("2026-04-04T15:15:00Z"), // 01:45 +10:30
                        Instant.parse("2026-04-04T15:30:00Z")); // 02:00 +10:30
        assertThat(nextTimes("45 1 * * *", "2026-04-04T12:00:00Z", LORD_HOWE, 2))
                .containsExactly(Instant.parse("2026-04-04T14:45:00Z"), Instant.parse("2026-04-05T15:15:00Z"));
    }

    @Test
    void aDayTheCalendarSkipsRunsOnceWhenItEnds() {
        // Samoa skipped 2011-12-30: 2011-12-29T24:00 -10:00 (2011-12-30T10:00Z) was followed by 2011-12-31T00:00 +14:00.
        assertThat(ScheduleExpression.parse("0 12 * * *")
                .nextTimes(Instant.parse("2011-12-29T12:00:00Z"), ZoneId.of("Pacific/Apia"), ANCHOR, 3)).containsExactly(
                        Instant.parse("2011-12-29T22:00:00Z"), // 29 December 12:00 -10:00
                        Instant.parse("2011-12-30T10:00:00Z"), // for 30 December, when it is skipped
                        Instant.parse("2011-12-30T22:00:00Z")); // 31 December 12:00 +14:00
    }

    // ---- zones

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void noZoneIsUtc(String id) {
        assertThat(ScheduleExpression.zone(id)).isEqualTo(ZoneId.of("UTC"));
    }

    @Test
    void zonesAreWhatZoneIdAccepts() {
        assertThat(ScheduleExpression.zone("Europe/Paris")).isEqualTo(PARIS);
        assertThat(ScheduleExpression.zone(" America/New_York ")).isEqualTo(ZoneId.of("America/New_York"));
        assertThat(ScheduleExpression.zone("UTC")).isEqualTo(ZoneId.of("UTC"));
        assertThat(ScheduleExpression.zone("+02:00")).isEqualTo(ZoneOffset.ofHours(2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Foo/Bar", "Europe/Pariss", "not a zone!"})
    void anUnknownZoneSaysWhatToUse(String id) {
        assertThatThrownBy(() -> ScheduleExpression.zone(id)).isExactlyInstanceOf(InvalidScheduleException.class)
                .hasMessage("unknown time zone '" + id + "': use an IANA name such as Europe/Paris or UTC");
    }

    // ---- errors

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\t\n"})
    void anEmptyExpressionIsRejected(String text) {
        assertThatThrownBy(() -> ScheduleExpression.parse(text)).isExactlyInstanceOf(InvalidScheduleException.class)
                .hasMessage("empty schedule expression");
    }

    @Test
    void aWrongNumberOfFieldsListsTheForms() {
        assertThatThrownBy(() -> ScheduleExpression.parse("0 2 * *"))
                .isExactlyInstanceOf(InvalidScheduleException.class)
                .hasMessage("cron expression '0 2 * *' has 4 fields; expected 5 (minute hour day-of-month month "
                        + "day-of-week), 6 (second first), a macro such as @daily, '@every <duration>' or 'none'");
        assertThatThrownBy(() -> ScheduleExpression.parse("daily"))
                .hasMessageStartingWith("cron expression 'daily' has 1 field; expected 5 (minute");
        assertThatThrownBy(() -> ScheduleExpression.parse("0 0 2 * * * 2026"))
                .hasMessageStartingWith("cron expression '0 0 2 * * * 2026' has 7 fields; expected 5 (minute");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0 25 * * *       | cron expression '0 25 * * *' has an invalid hour field '25': | valid values 0 - 23",
            "61 * * * * *     | cron expression '61 * * * * *' has an invalid second field '61': | valid values 0 - 59",
            "0 0 2 * * FOO    | cron expression '0 0 2 * * FOO' has an invalid day-of-week field 'FOO': | FOO",
            "0 2 * 13 *       | cron expression '0 2 * 13 *' has an invalid month field '13': | valid values 1 - 12",
            "0 2 0 * *        | cron expression '0 2 0 * *' has an invalid day-of-month field '0': | valid values 1 - 28/31",
            "*/0 * * * *      | cron expression '*/0 * * * *' has an invalid minute field '*/0': | Incrementer delta must be 1 or higher",
            "0 0 5-2 * * *    | cron expression '0 0 5-2 * * *' has an invalid hour field '5-2': | Minimum value must be less than maximum value"})
    void aBadFieldIsNamedWithSpringsReason(String text, String what, String springsReason) {
        assertThatThrownBy(() -> ScheduleExpression.parse(text)).isExactlyInstanceOf(InvalidScheduleException.class)
                .hasMessageStartingWith(what).hasMessageContaining(springsReason)
                .hasMessageNotContaining("Exception").hasMessageNotContaining("in cron expression \"")
                .hasMessageNotContaining("\n");
    }

    @Test
    void anExpressionThatNeverMatchesIsRejected() {
        assertThatThrownBy(() -> ScheduleExpression.parse("0 0 30 2 *"))
                .isExactlyInstanceOf(InvalidScheduleException.class)
                .hasMessage("cron expression '0 0 30 2 *' never matches any date");
    }

    @Test
    void anUnknownMacroListsTheKnownOnes() {
        assertThatThrownBy(() -> ScheduleExpression.parse("@weekdays"))
                .isExactlyInstanceOf(InvalidScheduleException.class)
                .hasMessage("'@weekdays' is not a known macro; use one of @yearly, @annually, @monthly, @weekly, "
                        + "@daily, @midnight, @hourly or '@every <duration>'");
    }

    @Test
    void aMacroTakesNothingAfterIt() {
        assertThatThrownBy(() -> ScheduleExpression.parse("@daily 2"))
                .isExactlyInstanceOf(InvalidScheduleException.class)
                .hasMessage("'@daily 2': @daily takes nothing after it");
    }

    @Test
    void everyNeedsADuration() {
        assertThatThrownBy(() -> ScheduleExpression.parse("@every"))
                .isExactlyInstanceOf(InvalidScheduleException.class)
                .hasMessage("'@every' needs a duration, such as '@every 1h30m'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1d", "90", "1H", "5us", "1h 30m", "h", "1.5.5h", "soon"})
    void everyRejectsWhatIsNotAGoDurationInHoursMinutesSecondsOrMilliseconds(String duration) {
        assertThatThrownBy(() -> ScheduleExpression.parse("@every " + duration))
                .isExactlyInstanceOf(InvalidScheduleException.class)
                .hasMessage("'@every " + duration + "' has an invalid duration '" + duration
                        + "': write numbers with the units h, m, s or ms, such as 1h30m, 90s, 1.5h or 500ms");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0s", "0h0m", "0.0ms"})
    void everyRejectsAZeroDuration(String duration) {
        assertThatThrownBy(() -> ScheduleExpression.parse("@every " + duration))
                .isExactlyInstanceOf(InvalidScheduleException.class)
                .hasMessage("'@every " + duration + "' has a zero duration: it must be positive");
    }

    @Test
    void everyRejectsANegativeDuration() {
        assertThatThrownBy(() -> ScheduleExpression.parse("@every -1h"))
                .isExactlyInstanceOf(InvalidScheduleException.class)
                .hasMessage("'@every -1h' has a negative duration: it must be positive");
    }

    @Test
    void everyRejectsADurationGoCannotHold() {
        assertThat(ScheduleExpression.parse("@every 2562047h").nextAfter(ANCHOR, UTC, ANCHOR))
                .contains(Instant.parse("2318-04-13T09:00:00Z"));
        assertThatThrownBy(() -> ScheduleExpression.parse("@every 2562048h"))
                .isExactlyInstanceOf(InvalidScheduleException.class)
                .hasMessage("'@every 2562048h' has a duration longer than the longest possible, 2562047h47m16s");
    }
}
