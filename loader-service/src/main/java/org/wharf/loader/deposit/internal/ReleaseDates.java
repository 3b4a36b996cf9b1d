package org.wharf.loader.deposit.internal;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The release date from a CodeMeta date as the depositor wrote it (the checker has validated it):
 * a date-time with or without offset, a date, a year-month or a year. Without an offset it is UTC.
 */
public final class ReleaseDates {

    private ReleaseDates() {
    }

    public static Optional<OffsetDateTime> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String t = text.trim();
        try {
            return Optional.of(OffsetDateTime.parse(t));
        } catch (DateTimeParseException notWithOffset) {
            // try the shorter forms
        }
        try {
            return Optional.of(LocalDateTime.parse(t).atOffset(ZoneOffset.UTC));
        } catch (DateTimeParseException notLocal) {
            // try the shorter forms
        }
        try {
            return Optional.of(LocalDate.parse(t).atStartOfDay().atOffset(ZoneOffset.UTC));
        } catch (DateTimeParseException notDate) {
            // try the shorter forms
        }
        try {
            return Optional.of(YearMonth.parse(t).atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC));
        } catch (DateTimeParseException notYearMonth) {
            // try the year
        }
        try {
            return Optional.of(Year.parse(t).atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC));
        } catch (DateTimeParseException notYear) {
            return Optional.empty();
        }
    }
}
