package com.inpaintstudio.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.inpaintstudio.Fixtures;
import com.inpaintstudio.nn.AutoencoderKL;
import com.inpaintstudio.nn.ClipTextModel;
import com.inpaintstudio.nn.UNet2DConditionModel;
import com.inpaintstudio.tensor.DjlRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * fp16 checkpoints stay fp16 in memory: the networks upcast each parameter per use into the forward's scope, so
 * outputs equal the all-fp32 load of the same file, the weights manager gains no arrays, and the callers' managers
 * stay flat.
 */
class HalfWeightsTest {
    private static JsonObject config(String component) throws IOException {
        return JsonParser.parseString(Files.readString(Fixtures.modelDir().resolve(component).resolve("config.json")))
                .getAsJsonObject();
    }

    private static SafetensorsFile half(Path dir, String component, String file) throws IOException {
        try (SafetensorsFile src = SafetensorsFile.open(Fixtures.modelDir().resolve(component).resolve(file))) {
            return SafetensorsFile.open(SafetensorsTestFiles.rewrite(src, "F16", dir,
                    file.replace(".safetensors", ".fp16.safetensors"), 1).get(0));
        }
    }

    private static Weights weights(SafetensorsFile f, NDManager m, boolean keepHalf) {
        return new SafetensorsWeights(List.of(f), m, UnaryOperator.identity(), keepHalf);
    }

    @Test
    void unetFromFp16FileMatchesFp32AndLeavesManagersFlat(@TempDir Path tmp) throws IOException {
        try (SafetensorsFile h = half(tmp, "unet", "diffusion_pytorch_model.safetensors");
             SafetensorsFile full = SafetensorsFile.open(Fixtures.modelDir().resolve("unet/diffusion_pytorch_model.safetensors"));
             NDManager halfW = DjlRuntime.newManager(); NDManager upW = DjlRuntime.newManager();
             NDManager fullW = DjlRuntime.newManager(); NDManager caller = DjlRuntime.newManager()) {
            UNet2DConditionModel kept = UNet2DConditionModel.build(config("unet"), weights(h, halfW, true));
            UNet2DConditionModel upcast = UNet2DConditionModel.build(config("unet"), weights(h, upW, false));
            UNet2DConditionModel fp32 = UNet2DConditionModel.build(config("unet"), weights(full, fullW, false));
            assertTrue(halfW.getManagedArrays().stream().anyMatch(a -> a.getDataType() == DataType.FLOAT16),
                    "fp16 parameters are kept as fp16");
            assertTrue(halfW.getManagedArrays().stream().noneMatch(a -> a.getDataType() == DataType.FLOAT32),
                    "no fp32 copy of a parameter is kept");
            DjlRuntime.seed(3);
            NDArray sample = caller.randomNormal(new Shape(2, 9, 16, 16));
            NDArray ehs = caller.randomNormal(new Shape(2, 77, 32));
            int weightArrays = halfW.getManagedArrays().size();
            int callerArrays = caller.getManagedArrays().size();
            for (int i = 0; i < 5; i++) {
                double t = 900 - 150 * i;
                NDArray out = kept.forward(sample, t, ehs);
                assertEquals(DataType.FLOAT32, out.getDataType(), "compute stays fp32");
                assertEquals(callerArrays + 1, caller.getManagedArrays().size(), "only the result is added");
                float[] got = out.toFloatArray();
                out.close();
                assertEquals(weightArrays, halfW.getManagedArrays().size(), "weights after forward " + i);
                assertEquals(callerArrays, caller.getManagedArrays().size(), "caller after forward " + i);
                float[] same;
                float[] ref;
                try (NDArray a = upcast.forward(sample, t, ehs); NDArray b = fp32.forward(sample, t, ehs)) {
                    same = a.toFloatArray();
                    ref = b.toFloatArray();
                }
                assertArrayEquals(same, got, 1e-5f, "same values as the fp16 file loaded as fp32, forward " + i);
                assertArrayEquals(ref, got, 1e-2f, "close to the fp32 model (fp16-rounded weights), forward " + i);
            }
        }
    }

    @Test
    void textEncoderAndVaeFromFp16FilesMatchTheirFp32Loads(@TempDir Path tmp) throws IOException {
        try (SafetensorsFile te = half(tmp, "text_encoder", "model.safetensors");
             SafetensorsFile vae = half(tmp, "vae", "diffusion_pytorch_model.safetensors");
             NDManager halfW = DjlRuntime.newManager(); NDManager upW = DjlRuntime.newManager();
             NDManager caller = DjlRuntime.newManager()) {
            ClipTextModel textKept = ClipTextModel.build(config("text_encoder"), weights(te, halfW, true));
            ClipTextModel textUp = ClipTextModel.build(config("text_encoder"), weights(te, upW, false));
            AutoencoderKL vaeKept = AutoencoderKL.build(config("vae"), weights(vae, halfW, true));
            AutoencoderKL vaeUp = AutoencoderKL.build(config("vae"), weights(vae, upW, false));
            long[] ids = new long[2 * 77];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = (i * 7L) % 1000;
            }
            NDArray in = caller.create(ids, new Shape(2, 77));
            DjlRuntime.seed(5);
            NDArray latents = caller.randomNormal(new Shape(1, 4, 8, 6));
            NDArray image = caller.randomUniform(-1f, 1f, new Shape(1, 3, 64, 48));
            int weightArrays = -1;
            int callerArrays = caller.getManagedArrays().size();
            for (int i = 0; i < 2; i++) {
                try (NDArray a = textKept.encode(in); NDArray b = textUp.encode(in);
                     NDArray c = vaeKept.decode(latents); NDArray d = vaeUp.decode(latents);
                     NDArray e = vaeKept.encodeMean(image); NDArray f = vaeUp.encodeMean(image)) {
                    assertEquals(DataType.FLOAT32, a.getDataType());
                    assertArrayEquals(b.toFloatArray(), a.toFloatArray(), 1e-5f, "text encoder");
                    assertArrayEquals(d.toFloatArray(), c.toFloatArray(), 1e-4f, "vae decode");
                    assertArrayEquals(f.toFloatArray(), e.toFloatArray(), 1e-4f, "vae encode");
                }
                assertEquals(callerArrays, caller.getManagedArrays().size(), "caller after round " + i);
                if (weightArrays < 0) {
                    weightArrays = halfW.getManagedArrays().size();
                } else {
                    assertEquals(weightArrays, halfW.getManagedArrays().size(), "weights after round " + i);
                }
            }
        }
    }

    @Test
    void fp16SingleFileCheckpointStaysFp16InMemory(@TempDir Path tmp) throws IOException {
        Path fp16;
        try (SafetensorsFile src = SafetensorsFile.open(SingleFileCheckpointTest.singleFile())) {
            fp16 = SafetensorsTestFiles.rewrite(src, "F16", tmp, "single.fp16.safetensors", 1).get(0);
        }
        try (SingleFileCheckpoint half = SingleFileCheckpoint.open(fp16);
             SingleFileCheckpoint full = SingleFileCheckpoint.open(SingleFileCheckpointTest.singleFile());
             NDManager halfW = DjlRuntime.newManager(); NDManager fullW = DjlRuntime.newManager();
             NDManager caller = DjlRuntime.newManager()) {
            UNet2DConditionModel unet = UNet2DConditionModel.build(half.config(Component.UNET),
                    half.weights(Component.UNET, halfW));
            UNet2DConditionModel ref = UNet2DConditionModel.build(full.config(Component.UNET),
                    full.weights(Component.UNET, fullW));
            ClipTextModel text = ClipTextModel.build(half.config(Component.TEXT_ENCODER),
                    half.weights(Component.TEXT_ENCODER, halfW));
            AutoencoderKL vae = AutoencoderKL.build(half.config(Component.VAE),
                    half.weights(Component.VAE, halfW));
            DjlRuntime.seed(3);
            NDArray sample = caller.randomNormal(new Shape(2, 9, 16, 16));
            NDArray ehs = caller.randomNormal(new Shape(2, 77, 32));
            NDArray latents = caller.randomNormal(new Shape(1, 4, 8, 8));
            long[] ids = new long[77];
            ids[0] = 49406;
            java.util.Arrays.fill(ids, 1, 77, 49407);
            try (NDArray got = unet.forward(sample, 500, ehs); NDArray want = ref.forward(sample, 500, ehs);
                 NDArray e = text.encode(caller.create(ids, new Shape(1, 77))); NDArray d = vae.decode(latents)) {
                assertEquals(DataType.FLOAT32, got.getDataType(), "compute stays fp32");
                assertEquals(DataType.FLOAT32, e.getDataType());
                assertEquals(DataType.FLOAT32, d.getDataType());
                assertArrayEquals(want.toFloatArray(), got.toFloatArray(), 1e-2f, "close to the fp32 file");
            }
            assertTrue(halfW.getManagedArrays().stream().anyMatch(a -> a.getDataType() == DataType.FLOAT16),
                    "fp16 parameters are kept as fp16");
            assertTrue(halfW.getManagedArrays().stream().noneMatch(a -> a.getDataType() == DataType.FLOAT32),
                    "no fp32 copy of a parameter is kept");
        }
    }
}
