package com.inpaintstudio;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.inpaintstudio.image.ImageFiles;
import com.inpaintstudio.image.RgbImage;
import com.inpaintstudio.model.JsonFiles;
import com.inpaintstudio.model.ModelFormatException;
import com.inpaintstudio.model.SafetensorsFile;
import com.inpaintstudio.pipeline.CancelToken;
import com.inpaintstudio.pipeline.Engines;
import com.inpaintstudio.pipeline.InpaintEngine;
import com.inpaintstudio.errors.InpaintException;
import com.inpaintstudio.pipeline.InpaintRequest;
import com.inpaintstudio.pipeline.StepListener;
import com.inpaintstudio.pipeline.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Hostile inputs: generated bad PNGs, JPEGs, safetensors files, model configs, LoRA-like files with NaN weights and
 * session-like JSON (truncation, bit flips, huge declared sizes, deep nesting, NaN). Each must end in one of our
 * exceptions with a message (one line once the CLI joins it), never a JVM crash or a raw library exception, and the
 * user's files beside them stay as they were.
 */
class HostileInputFuzzTest {
    @TempDir
    Path dir;

    interface Attempt {
        void run(Path file) throws Exception;
    }

    record Case(String name, Path file, Attempt attempt) { }

    private final List<Case> cases = new ArrayList<>();
    private final Random random = new Random(20261201);

    private void add(String name, byte[] bytes, Attempt a) throws Exception {
        Path f = dir.resolve("in").resolve(name);
        Files.createDirectories(f.getParent());
        Files.write(f, bytes);
        cases.add(new Case(name, f, a));
    }

    private static byte[] flip(byte[] b, int at, int mask) {
        byte[] c = b.clone();
        c[at] ^= (byte) mask;
        return c;
    }

    private byte[] randomFlips(byte[] b, int from, int n) {
        byte[] c = b.clone();
        for (int i = 0; i < n; i++) {
            int at = from + random.nextInt(c.length - from);
            c[at] ^= (byte) (1 << random.nextInt(8));
        }
        return c;
    }

    private static byte[] image(String fmt, int w, int h) throws Exception {
        BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(3);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                bi.setRGB(x, y, (x * 4) << 16 | (y * 4) << 8 | r.nextInt(64));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(bi, fmt, out);
        return out.toByteArray();
    }

    private static byte[] safetensors(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h)
                .put(data).array();
    }

    private static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    private static String deep(int n) {
        return "{\"a\":" + "[".repeat(n) + "]".repeat(n) + "}";
    }

    private static final Attempt READ_IMAGE = f -> ImageFiles.readImage(f);
    private static final Attempt READ_MASK = f -> ImageFiles.readMask(f);
    private static final Attempt OPEN_SAFETENSORS = f -> {
        try (SafetensorsFile s = SafetensorsFile.open(f)) {
            for (String name : s.tensors().keySet()) {
                s.readFloats(name);
            }
        }
    };
    private static final Attempt OPEN_MODEL = f -> Engines.open(f).close();
    private static final Attempt SESSION = f -> {
        JsonObject o = JsonFiles.readObject(f, "the saved session");
        if (!o.has("photo") || !o.get("photo").isJsonPrimitive()) {
            throw new ModelFormatException("the saved session (" + f + ") is damaged: no photo.");
        }
    };

    @Test
    void everyBadFileGivesOneClearErrorAndTouchesNothingElse() throws Exception {
        // ---- PNG
        byte[] png = image("png", 64, 48);
        add("png-empty.png", new byte[0], READ_IMAGE);
        add("png-signature-only.png", Arrays.copyOf(png, 8), READ_IMAGE);
        add("png-cut-in-ihdr.png", Arrays.copyOf(png, 20), READ_IMAGE);
        add("png-cut-half.png", Arrays.copyOf(png, png.length / 2), READ_IMAGE);
        add("png-cut-before-iend.png", Arrays.copyOf(png, png.length - 12), READ_MASK);
        byte[] huge = png.clone();
        ByteBuffer.wrap(huge, 16, 8).putInt(0x7fffffff).putInt(0x7fffffff);
        add("png-huge-declared.png", huge, READ_IMAGE);
        byte[] zero = png.clone();
        ByteBuffer.wrap(zero, 16, 8).putInt(0).putInt(48);
        add("png-zero-width.png", zero, READ_IMAGE);
        for (int i = 0; i < 4; i++) {
            add("png-bitflips-" + i + ".png", randomFlips(png, 33, 6), i % 2 == 0 ? READ_IMAGE : READ_MASK);
        }
        // ---- JPEG
        byte[] jpg = image("jpg", 96, 64);
        add("jpg-soi-only.jpg", Arrays.copyOf(jpg, 2), READ_IMAGE);
        add("jpg-cut-100.jpg", Arrays.copyOf(jpg, 100), READ_IMAGE);
        add("jpg-cut-half.jpg", Arrays.copyOf(jpg, jpg.length / 2), READ_IMAGE);
        add("jpg-cut-end.jpg", Arrays.copyOf(jpg, jpg.length - 40), READ_MASK);
        int sof = indexOf(jpg, (byte) 0xFF, (byte) 0xC0);
        byte[] jhuge = jpg.clone();
        ByteBuffer.wrap(jhuge, sof + 5, 4).putShort((short) 0xFFFF).putShort((short) 0xFFFF);
        add("jpg-huge-declared.jpg", jhuge, READ_IMAGE);
        add("jpg-bad-sof.jpg", flip(jpg, sof + 9, 0xFF), READ_IMAGE);
        for (int i = 0; i < 3; i++) {
            add("jpg-header-bitflips-" + i + ".jpg", randomFlips(Arrays.copyOf(jpg, sof + 20), 2, 4), READ_IMAGE);
        }
        add("not-an-image.png", "hello, I am text".getBytes(StandardCharsets.UTF_8), READ_IMAGE);
        // ---- safetensors
        String ok = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}";
        byte[] st = safetensors(ok, floats(1, 2, 3, 4));
        add("st-empty.safetensors", new byte[0], OPEN_SAFETENSORS);
        add("st-cut.safetensors", Arrays.copyOf(st, st.length - 6), OPEN_SAFETENSORS);
        add("st-cut-header.safetensors", Arrays.copyOf(st, 20), OPEN_SAFETENSORS);
        byte[] bigLen = st.clone();
        ByteBuffer.wrap(bigLen, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE / 2);
        add("st-huge-header-length.safetensors", bigLen, OPEN_SAFETENSORS);
        add("st-huge-shape.safetensors", safetensors(
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,16]}}",
                floats(1, 2, 3, 4)), OPEN_SAFETENSORS);
        add("st-offsets-past-end.safetensors", safetensors(
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,9999999999]}}", floats(1, 2, 3, 4)),
                OPEN_SAFETENSORS);
        add("st-negative-offsets.safetensors", safetensors(
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-8,-4]}}", floats(1)), OPEN_SAFETENSORS);
        add("st-unknown-dtype.safetensors", safetensors(
                "{\"w\":{\"dtype\":\"Q4\",\"shape\":[2],\"data_offsets\":[0,8]}}", floats(1, 2)), OPEN_SAFETENSORS);
        add("st-deep-header.safetensors", safetensors(deep(100_000), new byte[0]), OPEN_SAFETENSORS);
        add("st-header-bitflip.safetensors", flip(st, 12, 0x22), OPEN_SAFETENSORS);
        // ---- LoRA-like files and NaN weights given where a model is expected
        String lora = "{\"lora_unet_down_blocks_0_attentions_0_proj_in.lora_up.weight\":{\"dtype\":\"F32\",\"shape\":[2,1],"
                + "\"data_offsets\":[0,8]},\"lora_unet_down_blocks_0_attentions_0_proj_in.lora_down.weight\":"
                + "{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[8,16]},\"__metadata__\":{\"ss_network_dim\":\"1\"}}";
        add("lora-nan.safetensors", safetensors(lora, floats(Float.NaN, 1, Float.POSITIVE_INFINITY, 2)), OPEN_MODEL);
        add("lora-cut.safetensors", Arrays.copyOf(safetensors(lora, floats(1, 2, 3, 4)), 100), OPEN_MODEL);
        // ---- model configs (a copy of the tiny model with one config damaged)
        Path unetConfig = Fixtures.modelDir().resolve("unet/config.json");
        byte[] cfg = Files.readAllBytes(unetConfig);
        String cfgText = new String(cfg, StandardCharsets.UTF_8);
        modelCase("config-cut", Arrays.copyOf(cfg, cfg.length / 2));
        modelCase("config-deep", deep(50_000).getBytes(StandardCharsets.UTF_8));
        modelCase("config-wrong-type", cfgText.replace("\"in_channels\": 9", "\"in_channels\": \"nine\"")
                .getBytes(StandardCharsets.UTF_8));
        modelCase("config-huge-channels", cfgText.replace("\"cross_attention_dim\": 32",
                "\"cross_attention_dim\": 1000000000000").getBytes(StandardCharsets.UTF_8));
        modelCase("config-nan", cfgText.replace("\"norm_eps\": 1e-05", "\"norm_eps\": NaN")
                .replace("\"layers_per_block\": 2", "\"layers_per_block\": -3").getBytes(StandardCharsets.UTF_8));
        // ---- session-like JSON
        String session = "{\"version\":1,\"photo\":\"photo.png\",\"mask\":\"mask.png\",\"results\":[{\"file\":\"r1.png\","
                + "\"seed\":42}],\"prompt\":\"a red door\"}";
        byte[] sess = session.getBytes(StandardCharsets.UTF_8);
        add("session-cut.json", Arrays.copyOf(sess, sess.length / 2), SESSION);
        add("session-deep.json", deep(200_000).getBytes(StandardCharsets.UTF_8), SESSION);
        add("session-not-utf8.json", flip(sess, 20, 0x80), SESSION);
        add("session-array.json", "[1,2,3]".getBytes(StandardCharsets.UTF_8), SESSION);
        add("session-nan.json", session.replace("42", "NaN").replace("\"photo.png\"", "{}")
                .getBytes(StandardCharsets.UTF_8), SESSION);

        assertTrue(cases.size() >= 30, "cases: " + cases.size());

        // the user's work beside the bad files: must stay exactly as it is
        Path work = dir.resolve("in").resolve("my-result.png");
        ImageFiles.writePng(TestModels.photo(32, 32), work);
        byte[] workBytes = Files.readAllBytes(work);
        long workTime = Files.getLastModifiedTime(work).toMillis();

        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            byte[] before = Files.readAllBytes(c.file().toFile().isDirectory() ? work : c.file());
            try {
                c.attempt().run(c.file());
                failures.add(c.name() + ": accepted");
            } catch (InpaintException | ModelFormatException e) {
                String msg = e.getMessage();
                if (msg == null || msg.isBlank()) {
                    failures.add(c.name() + ": " + e.getClass().getSimpleName() + " without a message");
                }
                System.out.println(c.name() + " -> " + (msg == null ? "" : msg.replaceAll("\\s*\\R\\s*", " ")));
            } catch (Throwable t) {
                failures.add(c.name() + ": " + t);
            }
            if (!c.file().toFile().isDirectory()) {
                assertArrayEquals(before, Files.readAllBytes(c.file()), c.name() + " was changed");
            }
        }
        assertEquals(List.of(), failures);
        assertArrayEquals(workBytes, Files.readAllBytes(work));
        assertEquals(workTime, Files.getLastModifiedTime(work).toMillis());
        try (Stream<Path> s = Files.list(dir.resolve("in"))) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no files left behind");
        }
    }

    /** A model folder whose weights are the tiny model's (linked) and whose unet/config.json is {@code config}. */
    private void modelCase(String name, byte[] config) throws Exception {
        Path m = dir.resolve("models").resolve(name);
        Path src = Fixtures.modelDir();
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path t = m.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else if (p.toString().endsWith(".safetensors")) {
                    Files.createSymbolicLink(t, p.toAbsolutePath());
                } else {
                    Files.copy(p, t);
                }
            }
        }
        Files.write(m.resolve("unet/config.json"), config);
        cases.add(new Case(name, m, OPEN_MODEL));
    }

    @Test
    void nanWeightsInAModelGiveOneClearErrorNotABlackPicture() throws Exception {
        Path m = dir.resolve("nan-model");
        Path src = Fixtures.modelDir();
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path t = m.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        // every float of the VAE decoder's last conv bias becomes NaN
        Path vae = m.resolve("vae/diffusion_pytorch_model.safetensors");
        byte[] b = Files.readAllBytes(vae);
        long hlen = ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        JsonObject h = JsonParser.parseString(new String(b, 8, (int) hlen, StandardCharsets.UTF_8)).getAsJsonObject();
        JsonObject t = h.getAsJsonObject("decoder.conv_out.bias");
        assertEquals("F32", t.get("dtype").getAsString());
        long from = 8 + hlen + t.getAsJsonArray("data_offsets").get(0).getAsLong();
        long to = 8 + hlen + t.getAsJsonArray("data_offsets").get(1).getAsLong();
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = from; i < to; i += 4) {
            bb.putFloat((int) i, Float.NaN);
        }
        Files.write(vae, b);
        RgbImage photo = TestModels.photo(64, 64);
        try (InpaintEngine eng = Engines.open(m)) {
            InpaintRequest r = InpaintRequest.builder().image(photo).mask(TestModels.box(64, 64, 16, 16, 24, 24))
                    .prompt("x").steps(2).seed(1).build();
            eng.generate(r, StepListener.NONE, new CancelToken());
            fail("a NaN model gave a picture");
        } catch (InpaintException e) {
            assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("damaged"), e.getMessage());
        }
    }

    private static int indexOf(byte[] b, byte x, byte y) {
        for (int i = 0; i + 1 < b.length; i++) {
            if (b[i] == x && b[i + 1] == y) {
                return i;
            }
        }
        throw new AssertionError("marker not found");
    }
}
