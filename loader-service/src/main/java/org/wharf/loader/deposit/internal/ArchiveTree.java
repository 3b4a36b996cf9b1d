package org.wharf.loader.deposit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.wharf.common.s3.S3Breaker;
import org.wharf.loader.swhid.ArchiveTreeHasher;
import org.wharf.loader.swhid.ContentSink;
import org.wharf.loader.swhid.ObjectId;
import org.wharf.loader.swhid.UnsupportedArchiveException;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Streams an archive from the bucket, computes the {@code swh:1:dir:} id of its tree and hands its
 * contents and directories to a sink on the way. An archive that cannot be read as one is a failure of
 * the deposit; a broken connection is transient and throws.
 */
@Component
public class ArchiveTree {

    public record Result(ObjectId directory, String failure) {
    }

    private final S3Client s3;
    private final S3Breaker breaker;
    private final Path scratch;

    public ArchiveTree(S3Client s3, S3Breaker breaker,
                       @Value("${wharf.loader.scratch-directory:${java.io.tmpdir}/wharf-loader}") Path scratch) {
        this.s3 = s3;
        this.breaker = breaker;
        this.scratch = scratch;
    }

    public Result identify(String bucket, String key, ContentSink sink) {
        try (InputStream archive = breaker.call(() -> s3.getObject(b -> b.bucket(bucket).key(key)))) {
            Files.createDirectories(scratch);
            return new Result(new ArchiveTreeHasher().rootDirectoryId(archive, scratch, sink), null);
        } catch (NoSuchKeyException | NoSuchBucketException e) {
            return new Result(null, "the archive is no longer at s3://" + bucket + "/" + key);
        } catch (UnsupportedArchiveException e) {
            return new Result(null, e.getMessage());
        } catch (IllegalArgumentException e) {
            return new Result(null, "the archive has an entry that cannot be loaded: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("reading s3://" + bucket + "/" + key + " failed", e);
        }
    }
}
