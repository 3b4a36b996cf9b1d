package org.wharf.checker.deposit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.springframework.stereotype.Component;
import org.wharf.common.message.Problem;
import org.wharf.common.message.deposit.StoredObject;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Checks that the announced objects exist and that the archive has the announced size and sha256.
 * The archive is streamed through the digest, never held whole in memory. "Missing" is a problem of
 * the deposit; any other S3 failure is transient and propagates to be retried.
 */
@Component
public class ArchiveIntegrity {

    private final S3Client s3;

    public ArchiveIntegrity(S3Client s3) {
        this.s3 = s3;
    }

    public List<Problem> problems(StoredObject archive, StoredObject metadata) {
        List<Problem> problems = new ArrayList<>();
        HeadObjectResponse head = head(archive, "archive", problems);
        if (head != null) {
            if (head.contentLength() != archive.size().longValue()) {
                problems.add(new Problem("archive.size", "announced " + archive.size() + " bytes, but the stored archive has "
                        + head.contentLength() + " bytes"));
            } else {
                String sha256 = sha256(archive);
                if (!sha256.equalsIgnoreCase(archive.sha256())) {
                    problems.add(new Problem("archive.sha256", "announced " + archive.sha256()
                            + ", but the stored archive's sha256 is " + sha256));
                }
            }
        }
        head(metadata, "metadata", problems);
        return problems;
    }

    private HeadObjectResponse head(StoredObject object, String field, List<Problem> problems) {
        try {
            return s3.headObject(b -> b.bucket(object.bucket()).key(object.key()));
        } catch (NoSuchKeyException | NoSuchBucketException e) {
            problems.add(new Problem(field, "not found at s3://" + object.bucket() + "/" + object.key()));
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                problems.add(new Problem(field, "not found at s3://" + object.bucket() + "/" + object.key()));
                return null;
            }
            throw e;
        }
    }

    private String sha256(StoredObject archive) {
        try (InputStream in = s3.getObject(b -> b.bucket(archive.bucket()).key(archive.key()));
             DigestInputStream digesting = new DigestInputStream(in, MessageDigest.getInstance("SHA-256"))) {
            digesting.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(digesting.getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException("reading s3://" + archive.bucket() + "/" + archive.key() + " failed", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
