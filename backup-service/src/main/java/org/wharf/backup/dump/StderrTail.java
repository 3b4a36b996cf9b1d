package org.wharf.backup.dump;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads a client tool's standard error as it comes, and keeps its last words for the failure it explains. */
final class StderrTail extends Thread {

    private static final int KEPT = 2000;

    private final InputStream in;
    private final ByteArrayOutputStream all = new ByteArrayOutputStream();

    StderrTail(InputStream in, String name) {
        super(name);
        setDaemon(true);
        this.in = in;
    }

    @Override
    public void run() {
        byte[] buffer = new byte[4096];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (all) {
                    all.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    /** The last words on one line, {@code secret} (the password) replaced wherever it appears. */
    String text(String secret) {
        String text;
        synchronized (all) {
            byte[] bytes = all.toByteArray();
            int from = Math.max(0, bytes.length - KEPT);
            text = new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
        }
        if (secret != null && !secret.isEmpty()) {
            text = text.replace(secret, "***");
        }
        return text.replaceAll("\\s+", " ").trim();
    }
}
