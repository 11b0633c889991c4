package com.inpaintstudio.cli;

import com.inpaintstudio.Fixtures;
import com.inpaintstudio.model.hub.DownloadProgress;
import com.inpaintstudio.model.hub.FakeHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class DownloadCommandTest {
    record Run(int code, String out, String err) { }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Cli());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void downloadsWithAProgressBarThenListsTheModel(@TempDir Path models) throws Exception {
        try (FakeHub hub = new FakeHub("test-org/tiny-sd-inpaint", Fixtures.modelDir())) {
            Run r = run("download", "test-org/tiny-sd-inpaint", "--models-dir", models.toString(), "--endpoint", hub.endpoint());
            assertEquals(0, r.code(), r.err());
            assertTrue(r.err().contains("100%") && r.err().contains("[") && r.err().contains("ETA"), r.err());
            assertTrue(r.out().contains("Done: " + models.resolve("tiny-sd-inpaint")), r.out());
            assertTrue(Files.isRegularFile(models.resolve("tiny-sd-inpaint/model_index.json")));

            Run list = run("models", "--dir", models.toString());
            assertEquals(0, list.code());
            assertTrue(list.out().contains("tiny-sd-inpaint") && list.out().contains("inpainting")
                    && list.out().contains("SD-1.x"), list.out());

            Run missing = run("download", "test-org/nope", "--models-dir", models.toString(), "--endpoint", hub.endpoint());
            assertEquals(4, missing.code());
            assertTrue(missing.err().contains("error: There is no repository test-org/nope"), missing.err());
        }
    }

    @Test
    void emptyModelsFolderSaysHowToGetOne(@TempDir Path models) {
        Run r = run("models", "--dir", models.toString());
        assertEquals(0, r.code());
        assertTrue(r.out().contains("No models found") && r.out().contains("inpaint-studio download"), r.out());
    }

    @Test
    void progressLineShowsBytesSpeedAndEta() {
        String line = DownloadCommand.ProgressBar.render(new DownloadProgress("unet/diffusion_pytorch_model.fp16.safetensors",
                3, 12, 512L << 20, 1L << 30, 1L << 30, 2L << 30, 25L << 20, 41));
        assertTrue(line.startsWith("[3/12] unet/diffusion_pytorch_model.fp16.safetensors"), line);
        assertTrue(line.contains("[############............]  50%"), line);
        assertTrue(line.contains("1.00 GB / 2.00 GB") && line.contains("25.0 MB/s") && line.contains("ETA 0:41"), line);
    }
}
