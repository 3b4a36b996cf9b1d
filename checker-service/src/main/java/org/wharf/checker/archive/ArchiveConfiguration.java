package org.wharf.checker.archive;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The inspector; its limits are the platform's ({@code wharf.archive.*}, common's ArchiveLimits bean), the loader's too. */
@Configuration(proxyBeanMethods = false)
public class ArchiveConfiguration {

    @Bean
    public ArchiveInspector archiveInspector() {
        return new ArchiveInspector();
    }
}
