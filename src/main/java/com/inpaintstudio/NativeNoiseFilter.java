package com.inpaintstudio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Passes the relaunched child's stderr through to ours, minus libtorch's warnings that tell a user nothing they can
 * act on. On CPUs without the instructions NNPACK needs, libtorch logs {@code [W... NNPACK.cpp:..] Could not
 * initialize NNPACK! Reason: Unsupported hardware.} at the first convolution; it then uses its other convolution
 * code, with the same results. libtorch's log level cannot be set from Java (its {@code TORCH_CPP_LOG_LEVEL} is read
 * only by Python's torch), and the line comes from native code straight to file descriptor 2, so it is dropped here.
 *
 * <p>Everything else passes unchanged and at once: only a line that starts like a libtorch log line ({@code [W},
 * {@code [I}) is held until its end, so a progress bar redrawn with {@code \r} is not delayed. With
 * {@code INPAINT_DEBUG=1} nothing is dropped.
 */
final class NativeNoiseFilter {
    /** Substrings of lines that are dropped. */
    static final List<String> DROPPED = List.of("Could not initialize NNPACK!");

    private NativeNoiseFilter() {}

    /** Copies {@code in} to {@code out} until end of stream, dropping the noise lines; flushes after every read. */
    static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[8192];
        ByteArrayOutputStream held = new ByteArrayOutputStream();
        boolean lineStart = true; // the next byte starts a line
        boolean holding = false;  // the current line is being held (it may be noise)
        int n;
        while ((n = in.read(buf)) > 0) {
            int from = 0;
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                if (lineStart) {
                    holding = b == '[';
                    lineStart = false;
                }
                if (holding) {
                    held.write(b);
                    if (b == '\n') {
                        String line = held.toString(StandardCharsets.UTF_8);
                        if (!isNoise(line)) {
                            held.writeTo(out);
                        }
                        held.reset();
                        holding = false;
                        lineStart = true;
                    }
                    from = i + 1;
                } else {
                    if (b == '\n') {
                        out.write(buf, from, i + 1 - from);
                        from = i + 1;
                        lineStart = true;
                    }
                }
            }
            if (!holding && from < n) {
                out.write(buf, from, n - from);
            }
            out.flush();
        }
        held.writeTo(out); // an unfinished last line
        out.flush();
    }

    static boolean isNoise(String line) {
        for (String d : DROPPED) {
            if (line.contains(d)) {
                return true;
            }
        }
        return false;
    }

    /** Starts a daemon thread copying {@code childErr} to this process's stderr through the filter. */
    static Thread start(InputStream childErr) {
        OutputStream err = new java.io.FileOutputStream(java.io.FileDescriptor.err);
        Thread t = new Thread(() -> {
            try {
                copy(childErr, err);
            } catch (IOException e) {
                // the child closed its stderr or ended
            }
        }, "child-stderr");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
