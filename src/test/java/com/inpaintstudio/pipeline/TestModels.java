package com.inpaintstudio.pipeline;

import com.inpaintstudio.Fixtures;
import com.inpaintstudio.image.Mask;
import com.inpaintstudio.image.RgbImage;
import com.inpaintstudio.model.SafetensorsFile;
import com.inpaintstudio.model.TensorInfo;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** Small pictures, masks and model variants for pipeline and CLI tests. */
public final class TestModels {
    private TestModels() {}

    public record Tensor(long[] shape, float[] data) { }

    /** A smooth, colourful test photo. */
    public static RgbImage photo(int w, int h) {
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = x * 255 / Math.max(1, w - 1);
                int g = y * 255 / Math.max(1, h - 1);
                int b = (x + y) % 64 * 4;
                px[y * w + x] = r << 16 | g << 8 | b;
            }
        }
        return new RgbImage(w, h, px);
    }

    /** White (repaint) inside the rectangle, black elsewhere. */
    public static Mask box(int w, int h, int x0, int y0, int bw, int bh) {
        float[] v = new float[w * h];
        for (int y = y0; y < y0 + bh; y++) {
            for (int x = x0; x < x0 + bw; x++) {
                v[y * w + x] = 1f;
            }
        }
        return new Mask(w, h, v);
    }

    /** F32 safetensors file with the given tensors, in the given order. */
    public static Path writeSafetensors(Path file, Map<String, Tensor> tensors) throws IOException {
        StringBuilder json = new StringBuilder("{");
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            long n = e.getValue().data().length * 4L;
            json.append(json.length() > 1 ? "," : "").append('"').append(e.getKey())
                    .append("\":{\"dtype\":\"F32\",\"shape\":")
                    .append(Arrays.toString(e.getValue().shape()).replace(" ", ""))
                    .append(",\"data_offsets\":[").append(offset).append(',').append(offset + n).append("]}");
            offset += n;
        }
        json.append('}');
        byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
            out.write(header);
            for (Tensor t : tensors.values()) {
                ByteBuffer b = ByteBuffer.allocate(t.data().length * 4).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(t.data());
                out.write(b.array());
            }
        }
        return file;
    }

    /** Copies the tiny model folder into {@code dir}, leaving out the named component folders. */
    public static Path copyTinyModel(Path dir, String... without) throws IOException {
        Path src = Fixtures.modelDir();
        try (Stream<Path> s = Files.walk(src)) {
            for (Path p : s.toList()) {
                Path rel = src.relativize(p);
                if (rel.getNameCount() > 0 && Arrays.asList(without).contains(rel.getName(0).toString())) {
                    continue;
                }
                Path target = dir.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return dir;
    }

    /**
     * The tiny model as a regular 4-channel (non-inpainting) model: the UNet's config says {@code in_channels: 4} and
     * {@code conv_in.weight} keeps its first 4 input channels.
     */
    public static Path fourChannelTinyModel(Path dir) throws IOException {
        copyTinyModel(dir, "unet");
        Path unet = Files.createDirectories(dir.resolve("unet"));
        String cfg = Files.readString(Fixtures.modelDir().resolve("unet/config.json"));
        String patched = cfg.replaceFirst("\"in_channels\":\\s*9", "\"in_channels\": 4");
        if (patched.equals(cfg)) {
            throw new IllegalStateException("unet config has no in_channels 9");
        }
        Files.writeString(unet.resolve("config.json"), patched);
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(
                Fixtures.modelDir().resolve("unet/diffusion_pytorch_model.safetensors"))) {
            for (TensorInfo t : f.tensors().values()) {
                float[] v = f.readFloats(t.name());
                long[] shape = t.shape();
                if (t.name().equals("conv_in.weight")) {
                    int o = (int) shape[0];
                    int in = (int) shape[1];
                    int k = (int) (shape[2] * shape[3]);
                    float[] sliced = new float[o * 4 * k];
                    for (int oc = 0; oc < o; oc++) {
                        System.arraycopy(v, (oc * in) * k, sliced, oc * 4 * k, 4 * k);
                    }
                    v = sliced;
                    shape = new long[] {shape[0], 4, shape[2], shape[3]};
                }
                out.put(t.name(), new Tensor(shape, v));
            }
        }
        writeSafetensors(unet.resolve("diffusion_pytorch_model.safetensors"), out);
        return dir;
    }
}
