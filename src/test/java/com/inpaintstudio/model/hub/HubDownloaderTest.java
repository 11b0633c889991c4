package com.inpaintstudio.model.hub;

import com.inpaintstudio.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Downloads the tiny fixture model from a hub stand-in on 127.0.0.1. */
@Timeout(60)
class HubDownloaderTest {
    static final String REPO = "test-org/tiny-sd-inpaint";
    static final String UNET_FP16 = "unet/diffusion_pytorch_model.fp16.safetensors";
    static final String VAE = "vae/diffusion_pytorch_model.safetensors";

    FakeHub hub;
    @TempDir
    Path models;

    @BeforeEach
    void start() throws IOException {
        hub = new FakeHub(REPO, Fixtures.modelDir());
        // an fp16 variant for the UNet only: the downloader must take it for unet and fall back to fp32 elsewhere
        byte[] fp32 = hub.files.get("unet/diffusion_pytorch_model.safetensors");
        byte[] fp16 = fp32.clone();
        fp16[fp16.length - 1] ^= 1;
        hub.files.put(UNET_FP16, fp16);
        // a pickle next to it that must never be fetched
        hub.files.put("unet/diffusion_pytorch_model.bin", new byte[] {1, 2, 3});
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    HubDownloader downloader() {
        return new HubDownloader(hub.endpoint(), null);
    }

    static List<String> expectedFiles() {
        return List.of("model_index.json", "scheduler/scheduler_config.json", "text_encoder/config.json",
                "text_encoder/model.safetensors", "tokenizer/merges.txt", "tokenizer/special_tokens_map.json",
                "tokenizer/tokenizer_config.json", "tokenizer/vocab.json", "unet/config.json", UNET_FP16,
                "vae/config.json", VAE);
    }

    static List<String> filesIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/')).sorted()
                    .collect(Collectors.toList());
        }
    }

    void assertComplete(Path dir) throws IOException {
        assertEquals(expectedFiles(), filesIn(dir));
        for (String f : expectedFiles()) {
            assertArrayEquals(hub.files.get(f), Files.readAllBytes(dir.resolve(f)), f);
        }
    }

    @Test
    void fullDownloadIsByteIdenticalAndTakesOnlyWhatThePipelineNeeds() throws IOException {
        List<DownloadProgress> events = new ArrayList<>();
        Path dir = downloader().download(REPO, "main", models, events::add);
        assertEquals(models.resolve("tiny-sd-inpaint"), dir);
        assertComplete(dir);
        assertEquals(0, hub.count("GET", ".bin"), "pickles are never fetched");
        assertEquals(0, hub.count("GET", "unet/diffusion_pytorch_model.safetensors"), "fp16 variant preferred");

        long total = hub.files.entrySet().stream().filter(e -> expectedFiles().contains(e.getKey()))
                .mapToLong(e -> e.getValue().length).sum();
        DownloadProgress last = events.get(events.size() - 1);
        assertEquals(total, last.total());
        assertEquals(total, last.done());
        assertEquals("model_index.json", last.file(), "model_index.json is written last");
        assertEquals(last.fileCount(), last.fileIndex());
        for (int i = 1; i < events.size(); i++) {
            assertTrue(events.get(i).done() >= events.get(i - 1).done(), "progress never goes back");
        }
        // every request after model_index.json's HEAD is pinned to the commit the hub reported
        assertTrue(hub.requests.stream().filter(r -> r.path().contains("/resolve/")).skip(1)
                .allMatch(r -> r.path().contains("/resolve/" + FakeHub.COMMIT + "/")), "pinned to the commit");

        // a second run finds everything verified and downloads nothing
        long cdnGets = hub.count("GET", "/cdn/");
        long resolveGets = hub.count("GET", "/resolve/");
        downloader().download(REPO, "main", models, DownloadListener.NONE);
        assertEquals(cdnGets, hub.count("GET", "/cdn/"), "no weights re-downloaded");
        assertEquals(resolveGets, hub.count("GET", "/resolve/"), "no small file re-downloaded");
    }

    @Test
    void worksWithoutTheListingApiByProbingWithHead() throws IOException {
        hub.apiEnabled = false;
        Path dir = downloader().download(REPO, "main", models, DownloadListener.NONE);
        assertComplete(dir);
        assertTrue(hub.count("HEAD", UNET_FP16) > 0);
    }

    @Test
    void resumesAfterACutConnection() throws IOException {
        hub.cutOnce = VAE;
        DownloadException e = assertThrows(DownloadException.class,
                () -> downloader().download(REPO, "main", models, DownloadListener.NONE));
        assertTrue(e.getMessage().contains("interrupted") && e.getMessage().contains("resume"), e.getMessage());
        Path dir = models.resolve("tiny-sd-inpaint");
        Path part = dir.resolve(VAE + ".part");
        assertTrue(Files.isRegularFile(part), "the partial file is kept");
        long have = Files.size(part);
        assertTrue(have > 0 && have < hub.files.get(VAE).length, "partial: " + have);
        assertFalse(Files.exists(dir.resolve(VAE)));
        assertFalse(Files.exists(dir.resolve("model_index.json")), "an unfinished download is not a model yet");

        downloader().download(REPO, "main", models, DownloadListener.NONE);
        assertComplete(dir);
        assertTrue(hub.requests.stream().anyMatch(r -> r.path().contains(VAE) && ("bytes=" + have + "-").equals(r.range())),
                "resumed with Range: bytes=" + have + "-");
        assertFalse(Files.exists(part));
    }

    @Test
    void aStalledConnectionIsDroppedAndResumed() throws IOException {
        hub.stallOnce = VAE;
        long start = System.nanoTime();
        DownloadException e = assertThrows(DownloadException.class, () -> downloader()
                .stallTimeout(java.time.Duration.ofSeconds(2)).download(REPO, "main", models, DownloadListener.NONE));
        assertTrue((System.nanoTime() - start) / 1e9 < 9, "gave up before the server woke up");
        assertTrue(e.getMessage().contains("no data for 2 s") && e.getMessage().contains(VAE)
                && e.getMessage().contains("resume"), e.getMessage());
        Path part = models.resolve("tiny-sd-inpaint").resolve(VAE + ".part");
        assertTrue(Files.isRegularFile(part), filesIn(models).toString() + " " + e.getMessage());
        assertTrue(Files.size(part) > 0);
        assertComplete(downloader().download(REPO, "main", models, DownloadListener.NONE));
    }

    @Test
    void checksumMismatchIsRejectedAndTheBadFileRemoved() throws IOException {
        hub.corrupt = VAE;
        DownloadException e = assertThrows(DownloadException.class,
                () -> downloader().download(REPO, "main", models, DownloadListener.NONE));
        assertTrue(e.getMessage().contains("SHA-256") && e.getMessage().contains("deleted"), e.getMessage());
        Path dir = models.resolve("tiny-sd-inpaint");
        assertFalse(Files.exists(dir.resolve(VAE)));
        assertFalse(Files.exists(dir.resolve(VAE + ".part")));
        assertFalse(Files.exists(dir.resolve("model_index.json")));

        hub.corrupt = null;
        assertComplete(downloader().download(REPO, "main", models, DownloadListener.NONE));
    }

    @Test
    void aDamagedFileOnDiskIsReplaced() throws IOException {
        Path dir = downloader().download(REPO, "main", models, DownloadListener.NONE);
        Files.writeString(dir.resolve("unet/config.json"), "{}");
        downloader().download(REPO, "main", models, DownloadListener.NONE);
        assertComplete(dir);
    }

    @Test
    void gatedRepoExplainsHfToken() {
        hub.requiredToken = "hf_secret";
        DownloadException e = assertThrows(DownloadException.class,
                () -> downloader().download(REPO, "main", models, DownloadListener.NONE));
        assertTrue(e.getMessage().contains("401") && e.getMessage().contains("HF_TOKEN")
                && e.getMessage().contains("gated"), e.getMessage());

        DownloadException wrong = assertThrows(DownloadException.class,
                () -> new HubDownloader(hub.endpoint(), "hf_wrong").download(REPO, "main", models, DownloadListener.NONE));
        assertTrue(wrong.getMessage().contains("did not accept"), wrong.getMessage());
    }

    @Test
    void tokenIsSentAsBearer() throws IOException {
        hub.requiredToken = "hf_secret";
        Path dir = new HubDownloader(hub.endpoint(), "hf_secret").download(REPO, "main", models, DownloadListener.NONE);
        assertComplete(dir);
        assertTrue(hub.requests.stream().allMatch(r -> "Bearer hf_secret".equals(r.authorization())));
    }

    @Test
    void missingRepoRevisionAndFileAreExplained() {
        DownloadException repo = assertThrows(DownloadException.class,
                () -> downloader().download("test-org/no-such-model", "main", models, DownloadListener.NONE));
        assertTrue(repo.getMessage().contains("no repository test-org/no-such-model"), repo.getMessage());

        DownloadException rev = assertThrows(DownloadException.class,
                () -> downloader().download(REPO, "v9", models, DownloadListener.NONE));
        assertTrue(rev.getMessage().contains("no revision 'v9'") && rev.getMessage().contains("404"), rev.getMessage());

        hub.files.remove("model_index.json");
        DownloadException file = assertThrows(DownloadException.class,
                () -> downloader().download(REPO, "main", models, DownloadListener.NONE));
        assertTrue(file.getMessage().contains("has no model_index.json"), file.getMessage());

        assertThrows(DownloadException.class, () -> downloader().download("../etc", "main", models, DownloadListener.NONE));
    }

    @Test
    void aTaesdRepoIsFetchedAsAPreviewDecoder() throws IOException {
        try (FakeHub taesd = new FakeHub("madebyollin/taesd", Fixtures.taesdDir())) {
            taesd.files.put("taesd_decoder.pth", new byte[] {1, 2});
            taesd.files.put("diffusion_pytorch_model.bin", new byte[] {3});
            List<DownloadProgress> events = new ArrayList<>();
            Path dir = new HubDownloader(taesd.endpoint(), null).download("madebyollin/taesd", "main", models, events::add);
            assertEquals(models.resolve("taesd"), dir);
            assertEquals(List.of("config.json", "diffusion_pytorch_model.safetensors"), filesIn(dir));
            for (String f : filesIn(dir)) {
                assertArrayEquals(taesd.files.get(f), Files.readAllBytes(dir.resolve(f)), f);
            }
            assertEquals("config.json", events.get(events.size() - 1).file(), "config.json is written last");
            assertEquals(0, taesd.count("GET", ".pth") + taesd.count("GET", ".bin"), "pickles are never fetched");
            assertEquals("taesd", com.inpaintstudio.model.ModelScanner.inspectPreviewDecoder(dir).name());

            taesd.corrupt = "diffusion_pytorch_model.safetensors";
            Files.delete(dir.resolve("diffusion_pytorch_model.safetensors"));
            DownloadException bad = assertThrows(DownloadException.class, () -> new HubDownloader(taesd.endpoint(), null)
                    .download("madebyollin/taesd", "main", models, DownloadListener.NONE));
            assertTrue(bad.getMessage().contains("does not match"), bad.getMessage());

            taesd.corrupt = null;
            taesd.files.remove("diffusion_pytorch_model.safetensors");
            DownloadException none = assertThrows(DownloadException.class, () -> new HubDownloader(taesd.endpoint(), null)
                    .download("madebyollin/taesd", "main", models, DownloadListener.NONE));
            assertTrue(none.getMessage().contains("is a TAESD (AutoencoderTiny) but has no"), none.getMessage());
        }
    }

    @Test
    void repoWithoutSafetensorsIsRefused() {
        hub.files.remove("text_encoder/model.safetensors");
        hub.files.put("text_encoder/pytorch_model.bin", new byte[] {0});
        DownloadException e = assertThrows(DownloadException.class,
                () -> downloader().download(REPO, "main", models, DownloadListener.NONE));
        assertTrue(e.getMessage().contains("no safetensors weights for its text_encoder"), e.getMessage());
    }

    @Test
    void offlineIsSaidPlainly() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        DownloadException e = assertThrows(DownloadException.class,
                () -> new HubDownloader("http://127.0.0.1:" + port, null).download(REPO, "main", models, DownloadListener.NONE));
        assertTrue(e.getMessage().contains("offline") && e.getMessage().contains(models.toString()), e.getMessage());
    }

    @Test
    void cancelKeepsThePartialFileForLater() throws IOException {
        DownloadException e = assertThrows(DownloadCancelledException.class, () -> downloader().download(REPO, "main",
                models, DownloadListener.NONE, () -> hub.count("GET", "/cdn/") > 0));
        assertTrue(e.getMessage().contains("resume"));
        assertComplete(downloader().download(REPO, "main", models, DownloadListener.NONE));
    }

    @Test
    void notEnoughDiskSpaceIsSaidBeforeDownloading() {
        HubDownloader d = downloader();
        d.freeSpace = dir -> 1000;
        DownloadException e = assertThrows(DownloadException.class, () -> d.download(REPO, "main", models, DownloadListener.NONE));
        assertTrue(e.getMessage().contains("Not enough disk space") && e.getMessage().contains("1000 B is free"), e.getMessage());
        assertEquals(0, hub.count("GET", "/cdn/"), "nothing fetched");
    }

    @Test
    void etagsAndFormatting() {
        assertEquals("abc", HubFile.cleanEtag("W/\"abc\""));
        assertNull(HubFile.cleanEtag(null));
        assertEquals("1.50 KB", Bytes.format(1536));
        assertEquals("1:02:05", Bytes.duration(3725));
        assertEquals("--:--", Bytes.duration(-1));
    }
}
