package org.wharf.loader.deposit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.commons.io.input.BoundedInputStream;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.wharf.common.archive.ArchiveLimits;
import org.wharf.common.archive.SourceStream;
import org.wharf.common.s3.S3Breaker;
import org.wharf.common.s3.S3Failures;
import org.wharf.loader.swhid.ArchiveTreeHasher;
import org.wharf.loader.swhid.ContentSink;
import org.wharf.loader.swhid.ObjectId;
import org.wharf.loader.swhid.UnsupportedArchiveException;

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Streams an archive from the bucket, computes the {@code swh:1:dir:} id of its tree and hands its
 * contents and directories to a sink on the way, checking that the bytes are those the checker
 * verified: the stored size before reading, the sha256 at the end of the one pass (a tree is returned
 * only when it matches). An archive that cannot be read as one, or that the store refuses for good, is a
 * failure of the deposit; a broken connection is transient and throws.
 */
@Component
public class ArchiveTree {

    /** The reason of a load whose archive is not the one that was checked. */
    public static final String CHANGED = "the archive changed after it was checked";

    public record Result(ObjectId directory, String failure) {
    }

    private final S3Client s3;
    private final S3Breaker breaker;
    private final Path scratch;
    private final ArchiveTreeHasher hasher;

    /** @param limits the checker's limits too: an archive that reaches the loader unchecked is held to them as well */
    public ArchiveTree(S3Client s3, S3Breaker breaker, ArchiveLimits limits,
                       @Value("${wharf.loader.scratch-directory:${java.io.tmpdir}/wharf-loader}") Path scratch) {
        this.s3 = s3;
        this.breaker = breaker;
        this.scratch = scratch;
        this.hasher = new ArchiveTreeHasher(limits);
    }

    /**
     * @param size   the verified size, or null for a load recorded before the loader kept it
     * @param sha256 the verified sha256 (hex), likewise
     */
    public Result identify(String bucket, String key, Long size, String sha256, ContentSink sink) {
        try (ResponseInputStream<GetObjectResponse> archive = breaker.call(() -> s3.getObject(b -> b.bucket(bucket).key(key)))) {
            Long stored = archive.response().contentLength();
            if (size != null && stored != null && stored.longValue() != size.longValue()) {
                return new Result(null, CHANGED + ": checked " + size + " bytes, now " + stored + " bytes");
            }
            // Never more than the verified size: a longer object is another one, whatever it says. The
            // reader hashes and counts what it reads (once); the caller closes the S3 stream.
            SourceStream read = new SourceStream(BoundedInputStream.builder().setInputStream(archive)
                    .setMaxCount(size == null ? -1 : size + 1).setPropagateClose(false).get());
            ObjectId directory = null;
            String failure = null;
            try {
                directory = hasher.rootDirectoryId(read, scratch(), sink);
            } catch (UnsupportedArchiveException e) {
                failure = e.getMessage();
            } catch (IllegalArgumentException e) {
                failure = "the archive has an entry that cannot be loaded: " + e.getMessage();
            }
            // The hasher may stop before the end (the archive's entries end, or a limit); the sha256 is of every byte.
            read.drain();
            String actual = read.sha256Hex();
            if (size != null && read.count() != size) {
                return new Result(null, CHANGED + ": checked " + size + " bytes, read " + read.count() + " bytes");
            }
            if (sha256 != null && !sha256.equalsIgnoreCase(actual)) {
                return new Result(null, CHANGED + ": checked sha256 " + sha256.toLowerCase() + ", read " + actual);
            }
            return new Result(failure == null ? directory : null, failure);
        } catch (NoSuchKeyException | NoSuchBucketException e) {
            return new Result(null, "the archive is no longer at s3://" + bucket + "/" + key);
        } catch (IOException e) {
            throw new UncheckedIOException("reading s3://" + bucket + "/" + key + " failed", e);
        } catch (RuntimeException e) {
            if (S3Failures.isPermanent(e)) {
                return new Result(null, "the archive cannot be read: " + S3Failures.reason(bucket, key, e));
            }
            throw e;
        }
    }

    private Path scratch() throws IOException {
        return Files.createDirectories(scratch);
    }
}
