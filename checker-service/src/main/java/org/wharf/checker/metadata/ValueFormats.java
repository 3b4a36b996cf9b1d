package org.wharf.checker.metadata;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.YearMonth;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The value syntaxes Software Heritage's deposit schemas impose on CodeMeta and swh elements. */
final class ValueFormats {

    private ValueFormats() {
    }

    private static final int MAX_QUOTED = 200;

    // xsd:gYear | xsd:gYearMonth | xsd:date | xsd:dateTime, each with an optional zone. SWH accepts
    // the union since years and year-months are valid ISO 8601 / schema:Date, and date-times for
    // backward compatibility (swh/deposit/xsd/codemeta.xsd, tests/api/test_checks.py).
    private static final Pattern DATE_OR_DATE_TIME = Pattern.compile(
            "(\\d{4})(?:-(\\d{2})(?:-(\\d{2})(?:T(\\d{2}):(\\d{2}):(\\d{2})(?:\\.\\d+)?)?)?)?"
                    + "(?:Z|[+-](\\d{2}):(\\d{2}))?");

    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.\\-]*:.*", Pattern.DOTALL);
    private static final Pattern HAL_ID = Pattern.compile("hal-\\d+(?:v\\d+)?");
    private static final Pattern SWHID = Pattern.compile(
            "swh:1:(?:cnt|dir|rev|rel|snp):[0-9a-f]{40}(?:;[^\\s]*)?");

    /** A CodeMeta date: year, year-month, date or date-time (SWH's DateOrDateTime). */
    static boolean isDateOrDateTime(String value) {
        return isDate(value, false);
    }

    /** A full calendar date with optional zone only (xsd:date), as SWH wants for embargoDate. */
    static boolean isFullDate(String value) {
        return isDate(value, true);
    }

    private static boolean isDate(String value, boolean fullDateOnly) {
        Matcher m = DATE_OR_DATE_TIME.matcher(value);
        if (!m.matches()) {
            return false;
        }
        boolean hasDay = m.group(3) != null;
        boolean hasTime = m.group(4) != null;
        if (fullDateOnly && (!hasDay || hasTime)) {
            return false;
        }
        // The pattern only checks shape; 2020-02-30 or 25:00 are shaped right and still wrong.
        int year = Integer.parseInt(m.group(1));
        if (m.group(2) != null) {
            int month = Integer.parseInt(m.group(2));
            if (month < 1 || month > 12) {
                return false;
            }
            if (hasDay && !YearMonth.of(year, month).isValidDay(Integer.parseInt(m.group(3)))) {
                return false;
            }
        }
        if (hasTime && (Integer.parseInt(m.group(4)) > 23 || Integer.parseInt(m.group(5)) > 59
                || Integer.parseInt(m.group(6)) > 59)) {
            return false;
        }
        if (m.group(7) != null) {
            int hours = Integer.parseInt(m.group(7));
            int minutes = Integer.parseInt(m.group(8));
            if (minutes > 59 || hours > 14 || (hours == 14 && minutes != 0)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Why {@code value} is not an absolute URI, in SWH's words, or empty when it is one. Like SWH,
     * absolute means a scheme and an authority: {@code mailto:} or {@code urn:} are refused, since
     * these fields point at something to visit.
     */
    static Optional<String> absoluteUriProblem(String value) {
        // Shape first, as SWH does: "not a url" is "not absolute", not "not valid".
        if (!SCHEME.matcher(value).matches()) {
            return Optional.of(quote(value) + " is not an absolute URI");
        }
        String afterScheme = value.substring(value.indexOf(':') + 1);
        if (!afterScheme.startsWith("//") || afterScheme.length() == 2
                || "/?#".indexOf(afterScheme.charAt(2)) >= 0) {
            return Optional.of(quote(value) + " is not an absolute URI");
        }
        try {
            URI uri = new URI(value);
            if (uri.getRawAuthority() == null || uri.getRawAuthority().isBlank()) {
                return Optional.of(quote(value) + " is not an absolute URI");
            }
        } catch (URISyntaxException e) {
            return Optional.of(quote(value) + " is not a valid URI");
        }
        return Optional.empty();
    }

    /** codemeta:identifier: an absolute URI, or a HAL id, which SWH accepts there too. */
    static Optional<String> identifierProblem(String value) {
        return HAL_ID.matcher(value).matches() ? Optional.empty() : absoluteUriProblem(value);
    }

    static boolean isSwhid(String value) {
        return SWHID.matcher(value).matches();
    }

    /** Quotes depositor text for a summary: one line, bounded, visibly delimited. */
    static String quote(String value) {
        return "'" + truncate(value.replaceAll(LINE_BREAKING, " "), MAX_QUOTED) + "'";
    }

    /** Control characters and Unicode line breaks: what could split a summary across lines. */
    static final String LINE_BREAKING = "[\\p{Cntrl}\\x{80}-\\x{9F}\\u2028\\u2029]";

    /** Cuts at {@code max} chars, never through a surrogate pair. */
    static String truncate(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end) + "…";
    }
}
