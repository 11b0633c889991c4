package com.inpaintstudio;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The child's stderr passes through unchanged except libtorch's NNPACK warning; progress redraws are not held. */
class NativeNoiseFilterTest {
    private static final String NNPACK = "[W1201 03:49:21.123456 4242 NNPACK.cpp:62] Could not initialize NNPACK! "
            + "Reason: Unsupported hardware.\n";

    private static String filter(String s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NativeNoiseFilter.copy(new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)), out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void dropsTheNnpackWarningAndKeepsEverythingElse() throws IOException {
        assertEquals("loading ...\nstep 1/3\n", filter("loading ...\n" + NNPACK + NNPACK + "step 1/3\n"));
        String other = "[W1201 Conv.cpp:10] some other libtorch warning\n[relaunch] child running\n";
        assertEquals(other, filter(other));
        assertEquals("error: bad input (no newline)", filter("error: bad input (no newline)"));
        assertEquals("\r 10% \r 20% \r100%\n", filter("\r 10% \r 20% \r100%\n"));
    }

    @Test
    void aRealProcessesStderrLosesOnlyTheWarning() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "printf '%s' \"$0\" >&2; echo 'step 1/2' >&2; printf '%s' \"$0\" >&2; "
                + "echo 'wrote out.png' >&2", NNPACK).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NativeNoiseFilter.copy(p.getErrorStream(), out);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals("step 1/2\nwrote out.png\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aPartialProgressLineIsPassedOnAtOnce() throws Exception {
        // a stream that delivers "\r 50%" and then blocks: the bytes must already be out before the next read
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] first = "\r 50%".getBytes(StandardCharsets.US_ASCII);
        InputStream in = new InputStream() {
            int calls;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (calls++ == 0) {
                    System.arraycopy(first, 0, b, off, first.length);
                    return first.length;
                }
                assertEquals("\r 50%", out.toString(StandardCharsets.US_ASCII), "held back before the next read");
                return -1;
            }
        };
        NativeNoiseFilter.copy(in, out);
        assertEquals("\r 50%", out.toString(StandardCharsets.US_ASCII));
    }
}
