package org.wharf.loader.archive;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.wharf.common.s3.AbandonedUploads;
import org.wharf.loader.archive.internal.ArchiveRows;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * Large contents go up as multipart uploads under {@code content/}, each claimed (uploading) in the
 * schema before it starts: an open upload whose key is not being uploaded is nobody's, and is aborted.
 */
@Configuration(proxyBeanMethods = false)
class ArchiveUploadSweep {

    @Bean
    AbandonedUploads abandonedContentUploads(S3Client s3, ArchiveSettings settings, ArchiveRows rows) {
        return new AbandonedUploads(s3, settings.bucket(), "content/", rows::uploadingKeys, settings.abandonedUploadSweep());
    }
}
