package com.inpaintstudio.cli;

import com.inpaintstudio.Fixtures;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bench command at tiny scale (the tiny fixture's configs, 32 px, one run): every figure and the peak RSS. */
class BenchCommandTest {
    private static int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cl = new CommandLine(new Cli());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        cl.setExecutionExceptionHandler(new UserErrorHandler());
        return cl.execute(args);
    }

    @Test
    void printsAMedianForEveryFigureAndThePeakRss() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // surefire runs tests under the same GLIBC_TUNABLES the app relaunches itself with
        // e2e (the whole pipeline) has its own test below
        int code = run(out, err, "bench", "--configs", Fixtures.modelDir().toString(), "--size", "32", "--runs", "1",
                "--only", "unet512,unet256,vae-decode,vae-encode,taesd-decode,text,attention");
        String text = out.toString();
        assertTrue(text.contains("allocator: glibc") && text.contains("arena_max=1"), text);
        assertEquals(0, code, text + err);
        for (String figure : new String[] {"unet32 ", "unet16 ", "vae-decode", "vae-encode", "taesd-decode", "text "}) {
            assertTrue(text.lines().anyMatch(l -> l.startsWith(figure) && l.contains("median")), figure + " in:\n" + text);
        }
        assertTrue(text.contains("guided UNet step, batch 2, 32x32 px (9x4x4 latents, 77x32 text)"), text);
        assertTrue(text.contains("TAESD preview decode, 32x32 px"), text);
        assertTrue(text.matches("(?s).*taesd-share +\\d+\\.\\d % of a guided 32 px UNet step.*"), text);
        for (String figure : new String[] {"taesd-plain ", "taesd-fused "}) { // the A/B of the two decoder paths
            assertTrue(text.lines().anyMatch(l -> l.startsWith(figure) && l.contains("median")), figure + " in:\n" + text);
        }
        for (String figure : new String[] {"attention fused ", "attention chunked "}) {
            assertTrue(text.lines().anyMatch(l -> l.startsWith(figure) && l.contains("median")), figure + " in:\n" + text);
        }
        assertTrue(text.contains("fused libtorch ops: on; attention: fused"), text);
        assertTrue(text.contains("allocator:"), text);
        assertTrue(text.matches("(?s).*peak RSS \\(VmHWM\\): \\d+\\.\\d\\d GiB.*"), text);
    }

    @Test
    void endToEndFiguresCompareTheGuidedRunWithTheFastLoraPreset() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = run(out, err, "bench", "--configs", Fixtures.modelDir().toString(), "--size", "32", "--runs", "1",
                "--only", "e2e", "--malloc", "default");
        String text = out.toString();
        System.out.println(text);
        assertEquals(0, code, text + err);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("e2e-guided") && l.contains("median")
                && l.contains("25 steps, guidance 7.5 (batch 2)")), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("e2e-fast") && l.contains("median")
                && l.contains("6 steps, guidance 1 (batch 1)") && l.contains("LoRA rank 64 merged")), text);
        assertTrue(text.contains("e2e LoRA merge") && text.matches("(?s).*step ratio unguided/guided: \\d+\\.\\d\\d.*")
                && text.contains("UNet-only ratio batch 1 / batch 2: "), text);
        assertTrue(text.lines().noneMatch(l -> l.startsWith("unet") || l.startsWith("vae")), text);
    }

    @Test
    void onlyRunsTheChosenFigures() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = run(out, err, "bench", "--configs", Fixtures.modelDir().toString(), "--size", "32", "--runs", "1",
                "--only", "vae-decode", "--malloc", "default");
        String text = out.toString();
        assertEquals(0, code, text + err);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("vae-decode")), text);
        assertTrue(text.lines().noneMatch(l -> l.startsWith("unet") || l.startsWith("text ")), text);
    }

    @Test
    void unknownFiguresAndSizesGetAClearMessage() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(2, run(out, err, "bench", "--only", "unet1024", "--malloc", "default"));
        assertTrue(err.toString().contains("unknown figure 'unet1024'; choose from unet512"), err.toString());
        StringWriter err2 = new StringWriter();
        assertEquals(2, run(new StringWriter(), err2, "bench", "--size", "100", "--malloc", "default"));
        assertTrue(err2.toString().contains("multiple of 16"), err2.toString());
    }
}
