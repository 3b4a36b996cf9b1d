package org.wharf.backup.dump;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads a client tool's standard error as it comes, and keeps its last words for the failure it explains. */
final class StderrTail extends Thread {

    private static final int KEPT = 2000;
    /** What is held of a talkative tool's output: its end is all a failure needs. */
    private static final int HELD = 64 * 1024;

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
                    if (all.size() > 2 * HELD) {
                        byte[] end = Arrays.copyOfRange(all.toByteArray(), all.size() - HELD, all.size());
                        all.reset();
                        all.write(end, 0, end.length);
                    }
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    /**
     * The last words on one line, {@code secret} (the password) replaced wherever it appears. The secret
     * is replaced in a window wider than what is kept by the secret's length, then the window is cut: so
     * no piece of the secret is left at the cut.
     */
    String text(String secret) {
        boolean hasSecret = secret != null && !secret.isEmpty();
        int margin = hasSecret ? secret.getBytes(StandardCharsets.UTF_8).length : 0;
        String text;
        synchronized (all) {
            byte[] bytes = all.toByteArray();
            int from = Math.max(0, bytes.length - KEPT - margin);
            text = new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
        }
        if (hasSecret) {
            text = text.replace(secret, "***");
        }
        if (text.length() > KEPT) {
            text = text.substring(text.length() - KEPT);
        }
        return text.replaceAll("\\s+", " ").trim();
    }
}
