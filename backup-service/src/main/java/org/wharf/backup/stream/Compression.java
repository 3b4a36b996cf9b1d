package org.wharf.backup.stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;

/**
 * How a backup's bytes are compressed. The object's key says it ({@code .gz}, {@code .zst}), so that a
 * restore decodes what was written, whatever the target's configuration says today.
 */
public enum Compression {
    GZIP("gzip", ".gz"),
    ZSTD("zstd", ".zst"),
    NONE("none", "");

    private static final int BUFFER = 1 << 16;

    private final String configName;
    private final String suffix;

    Compression(String configName, String suffix) {
        this.configName = configName;
        this.suffix = suffix;
    }

    /** {@code gzip}, {@code zstd} or {@code none}; null when it is none of them. */
    public static Compression named(String name) {
        return Arrays.stream(values()).filter(c -> c.configName.equals(name.toLowerCase(Locale.ROOT))).findFirst().orElse(null);
    }

    /** The compression an object's key ends with. */
    public static Compression ofKey(String key) {
        return key.endsWith(GZIP.suffix) ? GZIP : key.endsWith(ZSTD.suffix) ? ZSTD : NONE;
    }

    /** The key without its compression suffix: what the bytes are once decompressed. */
    public static String withoutSuffix(String key) {
        return key.substring(0, key.length() - ofKey(key).suffix.length());
    }

    public String suffix() {
        return suffix;
    }

    public String configName() {
        return configName;
    }

    /** Closing the returned stream finishes the compressed stream and closes {@code out}. */
    public OutputStream compress(OutputStream out) throws IOException {
        return switch (this) {
            case GZIP -> new GZIPOutputStream(out, BUFFER);
            case ZSTD -> new ZstdOutputStream(out, 3); // zstd's default level: fast, and smaller than gzip -6
            case NONE -> out;
        };
    }

    public InputStream decompress(InputStream in) throws IOException {
        return switch (this) {
            case GZIP -> new GZIPInputStream(in, BUFFER);
            case ZSTD -> new ZstdInputStream(in);
            case NONE -> in;
        };
    }
}
