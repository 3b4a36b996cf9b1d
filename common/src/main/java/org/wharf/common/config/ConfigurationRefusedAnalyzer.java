package org.wharf.common.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** A start stopped by a {@link ConfigurationRefused} is reported as its one-line reason and action, not as a stack trace. */
public class ConfigurationRefusedAnalyzer extends AbstractFailureAnalyzer<ConfigurationRefused> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ConfigurationRefused cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
