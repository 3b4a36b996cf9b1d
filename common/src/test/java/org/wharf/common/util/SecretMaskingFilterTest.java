package org.wharf.common.util;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

class SecretMaskingFilterTest {

    @Test
    void aLineWithASecretIsWrittenScrubbedOnceAndOthersAsTheyAre() {
        SecretMaskingFilter.install();
        SecretMaskingFilter.install(); // once only
        Logger logger = (Logger) LoggerFactory.getLogger("wharf.secret-masking-test");
        logger.setLevel(Level.INFO);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            logger.info("target {} refused: {}", "sample", "password=hunter2-xyz");
            logger.info("connecting to {}", "postgres://app:s3cr3t@db:5432/x", new IllegalStateException("token=abc123xyz"));
            logger.debug("below the level: password=never-formatted");
            logger.info("deposit {} verified", "d-1");
        } finally {
            logger.detachAppender(appender);
        }
        assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "target sample refused: password=***",
                "connecting to postgres://app:***@db:5432/x (java.lang.IllegalStateException: token=***)",
                "deposit d-1 verified");
        assertThat(appender.list.get(0).getLoggerName()).isEqualTo("wharf.secret-masking-test");
        assertThat(appender.list.get(1).getThrowableProxy()).as("a leaking throwable's trace is left out").isNull();
        assertThat(((LoggerContext) LoggerFactory.getILoggerFactory()).getTurboFilterList()
                .stream().filter(SecretMaskingFilter.class::isInstance)).hasSize(1);
    }
}
