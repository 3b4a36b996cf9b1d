package org.wharf.cli.deposit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import org.wharf.cli.support.Cli;
import org.wharf.cli.support.UsageException;
import org.wharf.common.envelope.Envelope;
import org.wharf.common.message.Messages;
import org.wharf.common.message.deposit.DepositReceived;
import org.wharf.common.message.deposit.StoredObject;
import org.wharf.common.s3.S3Uploads;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A deposit as a depositor makes one: the archive and its metadata uploaded to the deposits bucket,
 * then DepositReceived published. Shared by {@code wharf deposit submit} and {@code wharf probe deposit}.
 */
public record DepositSubmission(String depositId, Instant submitted, StoredObject archive, StoredObject metadata, Envelope sent) {

    public static DepositSubmission submit(Cli cli, String client, String collection, Path archive, Path metadata, String origin) {
        requireFile(archive, "--archive");
        requireFile(metadata, "--metadata");
        String depositId = UUID.randomUUID().toString();
        String prefix = "deposits/" + collection + "/" + depositId + "/";
        String bucket = cli.connection().depositsBucket();
        Digest archiveDigest = digest(archive);
        StoredObject archiveObject = new StoredObject(bucket, prefix + archive.getFileName(), archiveDigest.size(), archiveDigest.sha256());
        StoredObject metadataObject = new StoredObject(bucket, prefix + "metadata.xml", null, null);
        try (S3Client s3 = cli.s3()) {
            S3Uploads.putFile(s3, bucket, archiveObject.key(), archive, S3Uploads.DEFAULT_PART_SIZE);
            s3.putObject(b -> b.bucket(bucket).key(metadataObject.key()), RequestBody.fromFile(metadata));
        } catch (SdkException e) {
            throw new UsageException("could not upload the deposit to s3://" + bucket + ": " + e.getMessage());
        }
        Instant submitted = Instant.now();
        Envelope sent = cli.broker().publish(Messages.DEPOSIT_RECEIVED, depositId, new DepositReceived(depositId,
                collection, client, origin, archiveObject, metadataObject, submitted), cli.actor(), depositId);
        return new DepositSubmission(depositId, submitted, archiveObject, metadataObject, sent);
    }

    /** The status it has as soon as it is sent. */
    public DepositStatus asSent() {
        return DepositStatus.fold(depositId, List.of(sent));
    }

    /** Its status from its records now on the deposit topics. */
    public DepositStatus now(Cli cli) {
        return Deposits.current(cli, depositId);
    }

    /** Follows it until it is done, rejected or failed (told to {@code progress}); empty when {@code timeout} passed first. */
    public Optional<DepositStatus> follow(Cli cli, Duration timeout, Consumer<String> progress) {
        return new DepositFollow(cli, timeout, progress).until(depositId, submitted.minusSeconds(5));
    }

    /** The sha256 of the metadata object as now stored, or empty if it cannot be read back. */
    public Optional<String> storedMetadataSha256(Cli cli) {
        try (S3Client s3 = cli.s3(); InputStream in = s3.getObject(b -> b.bucket(metadata.bucket()).key(metadata.key()))) {
            return Optional.of(digest(in).sha256());
        } catch (SdkException | IOException e) {
            return Optional.empty();
        }
    }

    record Digest(long size, String sha256) {
    }

    /** The sha256 of a local file. */
    public static String sha256(Path file) {
        return digest(file).sha256();
    }

    static Digest digest(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return digest(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Digest digest(InputStream in) throws IOException {
        try (DigestInputStream digesting = new DigestInputStream(in, MessageDigest.getInstance("SHA-256"))) {
            long size = digesting.transferTo(OutputStream.nullOutputStream());
            return new Digest(size, HexFormat.of().formatHex(digesting.getMessageDigest().digest()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void requireFile(Path file, String option) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new UsageException(option + " " + file + ": no such readable file");
        }
    }
}
