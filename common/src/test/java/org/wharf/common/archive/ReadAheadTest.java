package org.wharf.common.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The decompressing side's read-ahead: the same bytes, its failures where they happened, and a clean stop. */
class ReadAheadTest {

    @Test
    void handsOnEveryByteInOrderWhateverTheReadSizes() throws IOException {
        byte[] data = new byte[1_000_003];
        new Random(7).nextBytes(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ReadAhead ahead = new ReadAhead(new ByteArrayInputStream(data))) {
            byte[] buffer = new byte[70_001];
            Random sizes = new Random(8);
            int single = ahead.read();
            out.write(single);
            for (int n; (n = ahead.read(buffer, 0, 1 + sizes.nextInt(buffer.length))) != -1; ) {
                out.write(buffer, 0, n);
            }
            assertThat(ahead.read()).isEqualTo(-1);
        }
        assertThat(out.toByteArray()).isEqualTo(data);
    }

    @Test
    void throwsTheSourcesFailureAfterTheBytesBeforeIt() throws IOException {
        byte[] before = new byte[200_000];
        IOException broken = new IOException("connection reset");
        InputStream failing = new SequenceInputStream(new ByteArrayInputStream(before), new InputStream() {
            @Override
            public int read() throws IOException {
                throw broken;
            }
        });
        try (ReadAhead ahead = new ReadAhead(failing)) {
            assertThat(ahead.readNBytes(before.length)).hasSize(before.length);
            assertThatThrownBy(ahead::read).isSameAs(broken);
            assertThatThrownBy(ahead::read).as("and again: it does not wait for bytes that will not come").isSameAs(broken);
        }
    }

    @Test
    void stopEndsTheDecompressingThreadWhileItWaitsForTheReader() throws Exception {
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return len;
            }
        };
        ReadAhead ahead = new ReadAhead(endless);
        assertThat(ahead.read(new byte[10])).isEqualTo(10);
        Thread.sleep(100); // the queue fills, the thread waits
        ahead.stop();
        Set<Thread> threads = Thread.getAllStackTraces().keySet();
        assertThat(threads).noneMatch(t -> t.getName().equals("archive-read-ahead") && t.isAlive());
    }
}
