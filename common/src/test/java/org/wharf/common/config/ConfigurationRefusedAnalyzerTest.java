package org.wharf.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;

/** A refused configuration stops the start with its one line and what to correct, and no stack trace. */
@ExtendWith(OutputCaptureExtension.class)
class ConfigurationRefusedAnalyzerTest {

    @SpringBootConfiguration
    static class Refusing {
        @Bean
        String target() {
            throw new ConfigurationRefused("backup target x: path is required", "Correct wharf.backup.");
        }
    }

    @Test
    void theStartReportIsTheReasonAndTheAction(CapturedOutput output) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(Refusing.class).web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off").run()).hasRootCauseInstanceOf(ConfigurationRefused.class);

        assertThat(output.getAll()).contains("backup target x: path is required").contains("Correct wharf.backup.")
                .doesNotContain("Caused by").doesNotContain("\tat org.wharf");
    }
}
