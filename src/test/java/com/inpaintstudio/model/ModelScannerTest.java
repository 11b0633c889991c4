package com.inpaintstudio.model;

import com.inpaintstudio.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelScannerTest {
    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.collect(Collectors.toList())) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    static ModelEntry byName(List<ModelEntry> entries, String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not found in " + entries));
    }

    @Test
    void findsFoldersAndSingleFilesAndListsBrokenOnesWithTheirProblem(@TempDir Path models, @TempDir Path other) throws IOException {
        copyTree(Fixtures.modelDir(), models.resolve("tiny-inpaint"));
        Files.copy(Fixtures.root().resolve("model/tiny-sd-inpaint-single-file.safetensors"), models.resolve("tiny-single.safetensors"));
        // a regular (4-channel) model, nested one level down as downloads from an org sometimes are
        Path regular = models.resolve("some-org/tiny-regular");
        copyTree(Fixtures.modelDir(), regular);
        Files.writeString(regular.resolve("unet/config.json"),
                Files.readString(regular.resolve("unet/config.json")).replace("\"in_channels\": 9", "\"in_channels\": 4"));
        // an unfinished download: model_index.json but no weights
        Path broken = models.resolve("half-done");
        Files.createDirectories(broken.resolve("unet"));
        Files.writeString(broken.resolve("model_index.json"), "{}");
        Files.copy(Fixtures.modelDir().resolve("unet/config.json"), broken.resolve("unet/config.json"));
        Files.write(broken.resolve("unet/diffusion_pytorch_model.bin"), new byte[] {1});
        Files.writeString(models.resolve("garbage.safetensors"), "this is not a safetensors file");
        Files.write(models.resolve("sd-v1-5-inpainting.ckpt"), new byte[] {(byte) 0x80, 2});
        Files.writeString(models.resolve("notes.txt"), "ignored");
        Files.write(models.resolve("x.safetensors.part"), new byte[10]);
        CheckpointTestFiles.write(other.resolve("sd2-inpaint.safetensors"), Map.of(
                "model.diffusion_model.input_blocks.0.0.weight", new long[] {32, 9, 3, 3},
                "model.diffusion_model.input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight", new long[] {32, 1024},
                "cond_stage_model.model.token_embedding.weight", new long[] {8, 4}));

        List<ModelEntry> found = new ModelScanner(Map.of()).scan(List.of(models, other, models.resolve("missing")));
        assertEquals(List.of("tiny-inpaint", "tiny-regular", "tiny-single", "garbage", "half-done", "sd-v1-5-inpainting",
                "sd2-inpaint"), found.stream().map(ModelEntry::name).collect(Collectors.toList()), "usable first, then by name");

        ModelEntry folder = byName(found, "tiny-inpaint");
        assertTrue(folder.usable(), String.valueOf(folder.problem()));
        assertEquals(ModelEntry.Kind.FOLDER, folder.kind());
        assertEquals(Boolean.TRUE, folder.inpainting());
        assertEquals(ModelFamily.SD1, folder.family());
        long expectedSize;
        try (Stream<Path> s = Files.walk(Fixtures.modelDir())) {
            expectedSize = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        assertEquals(expectedSize, folder.sizeBytes());

        assertEquals(Boolean.FALSE, byName(found, "tiny-regular").inpainting());
        assertEquals("regular", byName(found, "tiny-regular").typeLabel());

        ModelEntry single = byName(found, "tiny-single");
        assertNull(single.problem());
        assertEquals(ModelEntry.Kind.SINGLE_FILE, single.kind());
        assertEquals(Boolean.TRUE, single.inpainting());
        assertEquals(ModelFamily.SD1, single.family());
        assertEquals(Files.size(models.resolve("tiny-single.safetensors")), single.sizeBytes());

        assertTrue(byName(found, "half-done").problem().contains("incomplete"), byName(found, "half-done").problem());
        assertTrue(byName(found, "half-done").problem().contains("pickle"), byName(found, "half-done").problem());
        assertTrue(byName(found, "garbage").problem().contains("garbage.safetensors"));
        assertTrue(byName(found, "sd-v1-5-inpainting").problem().contains("execute"));
        ModelEntry sd2 = byName(found, "sd2-inpaint");
        assertEquals(ModelFamily.SD2, sd2.family());
        assertEquals(Boolean.TRUE, sd2.inpainting());
        assertTrue(sd2.problem().contains("lacks the weight"), sd2.problem());
    }

    @Test
    void taesdFoldersAreListedAsPreviewDecodersNotAsModels(@TempDir Path models) throws IOException {
        copyTree(Fixtures.modelDir(), models.resolve("tiny-inpaint"));
        copyTree(Fixtures.taesdDir(), models.resolve("taesd"));
        copyTree(Fixtures.taesdDir(), models.resolve("madebyollin/taesdxl"));
        Path sd3 = models.resolve("taesd3");
        copyTree(Fixtures.taesdDir(), sd3);
        Files.writeString(sd3.resolve("config.json"),
                Files.readString(sd3.resolve("config.json")).replace("\"latent_channels\": 4", "\"latent_channels\": 16"));
        Path pickle = models.resolve("taesd-pth");
        Files.createDirectories(pickle);
        Files.copy(Fixtures.taesdDir().resolve("config.json"), pickle.resolve("config.json"));
        Files.write(pickle.resolve("taesd_decoder.pth"), new byte[] {1});

        ModelScanner scanner = new ModelScanner(Map.of());
        List<ModelEntry> found = scanner.scan(List.of(models));
        assertEquals(List.of("tiny-inpaint"), found.stream().map(ModelEntry::name).toList(),
                "a TAESD's weights are not listed as a broken checkpoint");
        List<PreviewDecoderEntry> decoders = scanner.scanPreviewDecoders(List.of(models));
        assertEquals(List.of("taesd", "taesd3", "taesdxl", "taesd-pth"), decoders.stream().map(PreviewDecoderEntry::name).toList());
        assertEquals(PreviewDecoderEntry.LatentSpace.SD, decoders.get(0).space());
        assertEquals(PreviewDecoderEntry.LatentSpace.SIXTEEN_CHANNELS, decoders.get(1).space());
        assertEquals(PreviewDecoderEntry.LatentSpace.SDXL, decoders.get(2).space());
        assertNull(decoders.get(0).refusalFor(ModelFamily.SD1, "m"));
        assertNull(decoders.get(0).refusalFor(ModelFamily.SD2, "m"));
        assertTrue(decoders.get(2).refusalFor(ModelFamily.SD2, "m").contains("SDXL latents, but m is an SD-2.x model"));
        assertFalse(decoders.get(3).usable());
        assertTrue(decoders.get(3).problem().contains("only pickle"), decoders.get(3).problem());
        // a TAESD folder given as a root is itself found
        assertEquals("taesd", scanner.scanPreviewDecoders(List.of(models.resolve("taesd"))).get(0).name());
        assertNull(ModelScanner.inspectPreviewDecoder(models.resolve("tiny-inpaint")));
    }

    @Test
    void aModelPathItselfCanBeARoot(@TempDir Path tmp) throws IOException {
        copyTree(Fixtures.modelDir(), tmp.resolve("m"));
        List<ModelEntry> found = new ModelScanner(Map.of()).scan(List.of(tmp.resolve("m"), tmp.resolve("m"), tmp));
        assertEquals(1, found.size(), "the same folder is listed once");
        assertTrue(ModelScanner.inspect(tmp.resolve("m")).usable());
    }

    @Test
    void envOverridesTheRootsAndTheDownloadFolder(@TempDir Path a, @TempDir Path b) {
        ModelScanner s = new ModelScanner(Map.of(ModelScanner.ENV, a + File.pathSeparator + b));
        assertEquals(List.of(a.toAbsolutePath().normalize(), b.toAbsolutePath().normalize()), s.defaultRoots());
        assertEquals(a.toAbsolutePath().normalize(), s.downloadDir());
    }

    @Test
    void defaultRootsIncludeWorkingDirAndUserDataFolder(@TempDir Path data) {
        ModelScanner s = new ModelScanner(Map.of("XDG_DATA_HOME", data.toString()));
        Path user = data.resolve("inpaint-studio/models").toAbsolutePath().normalize();
        assertEquals(user, s.userModelsDir());
        assertTrue(s.defaultRoots().contains(user));
        assertTrue(s.defaultRoots().contains(Path.of("").toAbsolutePath().resolve("models")));
        assertFalse(s.defaultRoots().isEmpty());
    }
}
