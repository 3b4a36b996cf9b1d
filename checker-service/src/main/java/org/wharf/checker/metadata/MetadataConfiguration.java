package org.wharf.checker.metadata;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class MetadataConfiguration {

    /** {@code wharf.checker.metadata-max-bytes}: larger metadata documents are refused unread. */
    @Bean
    public MetadataChecker metadataChecker(@Value("${wharf.checker.metadata-max-bytes:10485760}") int maxBytes) {
        return new MetadataChecker(maxBytes);
    }
}
