package org.wharf.checker.archive;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The archive-bomb limits ({@code wharf.checker.archive.*}); the defaults are far above what a
 * research-software deposit needs.
 */
@Configuration(proxyBeanMethods = false)
public class ArchiveConfiguration {

    @Bean
    public ArchiveLimits archiveLimits(
            @Value("${wharf.checker.archive.max-entries:" + ArchiveLimits.DEFAULT_MAX_ENTRIES + "}") long maxEntries,
            @Value("${wharf.checker.archive.max-uncompressed-bytes:" + ArchiveLimits.DEFAULT_MAX_UNCOMPRESSED_BYTES + "}") long maxBytes,
            @Value("${wharf.checker.archive.max-compression-ratio:" + ArchiveLimits.DEFAULT_MAX_COMPRESSION_RATIO + "}") int maxRatio) {
        return new ArchiveLimits(maxEntries, maxBytes, maxRatio);
    }

    @Bean
    public ArchiveInspector archiveInspector() {
        return new ArchiveInspector();
    }
}
