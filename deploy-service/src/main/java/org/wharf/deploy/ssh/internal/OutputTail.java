package org.wharf.deploy.ssh.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The last {@code capacity} bytes written to it, from any number of streams (a command's standard output and
 * standard error), with the count of all bytes seen: memory stays bounded whatever a command prints.
 */
public final class OutputTail {

    private final byte[] ring;
    private long total;

    public OutputTail(int capacity) {
        this.ring = new byte[capacity];
    }

    public synchronized void write(byte[] bytes, int offset, int length) {
        for (int i = 0; i < length; i++) {
            ring[(int) ((total + i) % ring.length)] = bytes[offset + i];
        }
        total += length;
    }

    /** Copies {@code in} into the tail until its end. */
    public void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[8192];
        for (int read; (read = in.read(buffer)) >= 0; ) {
            write(buffer, 0, read);
        }
    }

    public synchronized long total() {
        return total;
    }

    public synchronized boolean truncated() {
        return total > ring.length;
    }

    /** The kept bytes as UTF-8, a character cut in two at the start of a truncated tail left out. */
    public synchronized String text() {
        int kept = (int) Math.min(total, ring.length);
        byte[] bytes = new byte[kept];
        int start = (int) ((total - kept) % ring.length);
        for (int i = 0; i < kept; i++) {
            bytes[i] = ring[(start + i) % ring.length];
        }
        int from = 0;
        if (truncated()) {
            while (from < kept && from < 3 && (bytes[from] & 0xC0) == 0x80) {
                from++;
            }
        }
        return new String(bytes, from, kept - from, StandardCharsets.UTF_8);
    }
}
