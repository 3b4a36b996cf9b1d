package org.wharf.checker.deposit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.wharf.checker.archive.ArchiveInspector;
import org.wharf.common.archive.ArchiveLimits;
import org.wharf.checker.archive.ArchiveReport;
import org.wharf.common.message.deposit.CheckDetail;
import org.wharf.common.message.deposit.StoredObject;
import org.wharf.common.s3.S3Breaker;
import org.wharf.common.s3.S3Failures;
import org.wharf.checker.metadata.MetadataChecker;
import org.wharf.checker.metadata.MetadataReport;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Reads a deposit's objects from the deposits bucket, through the circuit breaker, and checks them:
 * the archive exists with the announced size, passes the {@link ArchiveInspector} (format, entries,
 * bomb limits) and has the announced sha256 (computed in the same single pass); the metadata
 * document passes the {@link MetadataChecker}.
 * The archive is streamed through the digest, never held whole in memory. An object outside the
 * deposits bucket is not read at all; the store's permanent answers (missing, access denied, bad
 * request: {@link S3Failures#isPermanent}) are problems of the deposit, naming the object; anything
 * else (timeouts, 5xx, an open circuit) is transient and propagates to be retried.
 */
@Component
public class DepositObjects {

    private final S3Client s3;
    private final S3Breaker breaker;
    private final MetadataChecker metadataChecker;
    private final ArchiveInspector inspector;
    private final ArchiveLimits limits;
    private final Path scratch;
    private final String depositsBucket;

    public DepositObjects(S3Client s3, S3Breaker breaker, MetadataChecker metadataChecker, ArchiveInspector inspector,
                          ArchiveLimits limits, @Value("${wharf.checker.scratch-directory:${java.io.tmpdir}/wharf-checker}") Path scratch,
                          @Value("${wharf.checker.deposits-bucket:wharf-deposits}") String depositsBucket) {
        this.depositsBucket = depositsBucket;
        this.s3 = s3;
        this.breaker = breaker;
        this.metadataChecker = metadataChecker;
        this.inspector = inspector;
        this.limits = limits;
        this.scratch = scratch;
    }

    public List<CheckDetail> archiveProblems(StoredObject archive) {
        if (!depositsBucket.equals(archive.bucket())) {
            return List.of(outsideDepositsBucket(archive));
        }
        try {
            return breaker.call(() -> inspectArchive(archive));
        } catch (RuntimeException e) {
            if (S3Failures.isPermanent(e)) {
                return List.of(refused(archive, e));
            }
            throw e;
        }
    }

    private List<CheckDetail> inspectArchive(StoredObject archive) throws IOException {
        List<CheckDetail> problems = new ArrayList<>();
        Files.createDirectories(scratch);
        ArchiveReport report;
        // One request: the GET's own length is checked before its body is read (a HEAD first cost a round
        // trip per deposit, measured by bench/ThroughputBenchmark).
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(archive.bucket()).key(archive.key()))) {
            long stored = in.response().contentLength();
            if (stored != archive.size().longValue()) {
                // Not worth reading: whatever it is, it is not what was announced.
                in.abort();
                problems.add(CheckDetail.of("archive size mismatch: announced " + archive.size()
                        + " bytes, stored " + stored + " bytes", "size"));
                return problems;
            }
            report = inspector.inspect(in, limits, scratch);
        } catch (S3Exception e) {
            // A missing key or bucket is the deposit's problem, not the store's.
            if (e.statusCode() == 404) {
                problems.add(notFound(archive));
                return problems;
            }
            throw e;
        }
        problems.addAll(report.problems());
        if (report.sha256() != null && !report.sha256().equalsIgnoreCase(archive.sha256())) {
            problems.add(CheckDetail.of("archive sha256 mismatch: announced " + archive.sha256()
                    + ", stored " + report.sha256(), "sha256"));
        }
        return problems;
    }

    /** Reads the metadata document (bounded by the checker's size limit) and checks it. */
    public MetadataReport metadata(StoredObject metadata) {
        if (!depositsBucket.equals(metadata.bucket())) {
            return problem(outsideDepositsBucket(metadata));
        }
        try {
            return breaker.call(() -> {
                try (InputStream document = s3.getObject(b -> b.bucket(metadata.bucket()).key(metadata.key()))) {
                    return metadataChecker.check(document);
                } catch (NoSuchKeyException | NoSuchBucketException e) {
                    return problem(notFound(metadata));
                }
            });
        } catch (RuntimeException e) {
            if (S3Failures.isPermanent(e)) {
                return problem(refused(metadata, e));
            }
            throw e;
        }
    }

    private static MetadataReport problem(CheckDetail problem) {
        return new MetadataReport(List.of(problem), List.of(), null, null, null, null, null);
    }

    private CheckDetail outsideDepositsBucket(StoredObject object) {
        return CheckDetail.of("s3://" + object.bucket() + "/" + object.key() + " is not in the deposits bucket "
                + depositsBucket, object.key());
    }

    private static CheckDetail refused(StoredObject object, Throwable error) {
        return CheckDetail.of(S3Failures.reason(object.bucket(), object.key(), error), object.key());
    }

    private static CheckDetail notFound(StoredObject object) {
        return CheckDetail.of("not found at s3://" + object.bucket() + "/" + object.key(), object.key());
    }

}
