package org.wharf.common.infra;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.wharf.common.s3.S3Properties;

/** An S3-protocol server (s3proxy) in this JVM, on 127.0.0.1, storing objects in a folder. */
public final class LocalS3 implements AutoCloseable {

    private final S3Proxy proxy;
    private final S3Properties clientProperties;

    private LocalS3(S3Proxy proxy, S3Properties clientProperties) {
        this.proxy = proxy;
        this.clientProperties = clientProperties;
    }

    /** The access key of every local S3 server; the secret key is new at each start. */
    public static final String ACCESS_KEY = "wharf-local";

    /** @param port 0 for any free port */
    public static LocalS3 start(int port, Path storage) {
        return start(port, storage, randomSecret());
    }

    /** As above, with the secret key the clients are given (a server in a process of its own is told it). */
    public static LocalS3 start(int port, Path storage, String secretKey) {
        String accessKey = ACCESS_KEY;
        try {
            Files.createDirectories(storage);
            S3Proxy proxy = S3Proxy.builder()
                    .blobStore(new FilesystemNio2BlobStore(storage.toString()))
                    .endpoint(URI.create("http://127.0.0.1:" + port))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                    .build();
            proxy.start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!"STARTED".equals(proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("S3 server did not start within 30 s");
                }
                Thread.sleep(10);
            }
            S3Properties client = new S3Properties();
            client.setEndpoint(URI.create("http://127.0.0.1:" + proxy.getPort()));
            client.setAccessKey(accessKey);
            client.setSecretKey(secretKey);
            client.setPathStyle(true);
            return new LocalS3(proxy, client);
        } catch (IOException e) {
            throw new IllegalStateException("S3 storage folder " + storage + " is not usable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the S3 server");
        } catch (Exception e) {
            throw new IllegalStateException("S3 server did not start: " + e.getMessage(), e);
        }
    }

    public S3Properties clientProperties() {
        return clientProperties;
    }

    public int port() {
        return proxy.getPort();
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("S3 server did not stop: " + e.getMessage(), e);
        }
    }

    /** A new random secret (a password, a secret key), hex. */
    public static String randomSecret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
