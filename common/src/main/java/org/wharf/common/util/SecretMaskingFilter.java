package org.wharf.common.util;

import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Keeps secrets out of the logs, whichever appender or format (plain, JSON) writes them: a log line whose
 * message {@link SecretScrubber} would change is dropped and logged again, scrubbed. A service logs what
 * it was sent (a reason naming the input, a URL), and the input may hold what it should not.
 */
public final class SecretMaskingFilter extends TurboFilter {

    private static final String FQCN = SecretMaskingFilter.class.getName();
    private static final ThreadLocal<Boolean> RELOGGING = ThreadLocal.withInitial(() -> false);

    /** Adds the filter to logback, once (Spring Boot's logging set-up resets the context: call again after it). */
    public static void install() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        synchronized (context) {
            if (context.getTurboFilterList().stream().noneMatch(SecretMaskingFilter.class::isInstance)) {
                SecretMaskingFilter filter = new SecretMaskingFilter();
                filter.setContext(context);
                filter.start();
                context.addTurboFilter(filter);
            }
        }
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        // Only what would be written is looked at (the effective level, not isEnabledFor: that calls this filter).
        if (format == null || RELOGGING.get() || level == null || !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
            return FilterReply.NEUTRAL;
        }
        String message = params == null || params.length == 0 ? format : MessageFormatter.arrayFormat(format, params).getMessage();
        String scrubbed = SecretScrubber.scrub(message);
        Throwable cause = t != null ? t : MessageFormatter.getThrowableCandidate(params);
        String causeText = cause == null ? null : String.valueOf(cause);
        String scrubbedCause = causeText == null ? null : SecretScrubber.scrub(causeText);
        boolean causeLeaks = causeText != null && !scrubbedCause.equals(causeText);
        if (scrubbed.equals(message) && !causeLeaks) {
            return FilterReply.NEUTRAL;
        }
        RELOGGING.set(true);
        try {
            // A throwable holding a secret is told by its class and scrubbed message only, without its trace.
            String line = causeLeaks ? scrubbed + " (" + scrubbedCause + ")" : scrubbed;
            logger.log(marker, FQCN, Level.toLocationAwareLoggerInteger(level), line, null,
                    causeLeaks ? null : cause);
        } finally {
            RELOGGING.set(false);
        }
        return FilterReply.DENY;
    }
}
