package com.inpaintstudio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.inpaintstudio.Fixtures;
import com.inpaintstudio.model.SafetensorsFile;
import com.inpaintstudio.model.SafetensorsWeights;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Loading the tiny fixture model's components and comparing against diffusers' reference tensors. */
final class NnFixtures {
    private NnFixtures() {}

    static JsonObject config(String component) {
        return readJson(Fixtures.modelDir().resolve(component).resolve("config.json"));
    }

    static JsonObject readJson(Path p) {
        try {
            return JsonParser.parseString(Files.readString(p)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Weights of a component of the tiny model, in {@code m}. Close the returned file after the test. */
    static SafetensorsWeights weights(String component, NDManager m, List<SafetensorsFile> opened) {
        SafetensorsFile f = SafetensorsFile.open(Fixtures.modelDir().resolve(component)
                .resolve("diffusion_pytorch_model.safetensors"));
        opened.add(f);
        return new SafetensorsWeights(List.of(f), m);
    }

    static NDArray load(SafetensorsFile ref, String name, NDManager m) {
        float[] data = ref.readFloats(name);
        return m.create(data, new Shape(ref.info(name).shape()));
    }

    /** Asserts |got - ref| <= atol + rtol*|ref| elementwise; returns the largest absolute difference. */
    static double assertClose(SafetensorsFile ref, String name, NDArray got, double atol, double rtol) {
        float[] expected = ref.readFloats(name);
        assertArrayEquals(ref.info(name).shape(), got.getShape().getShape(), name + ": shape");
        float[] actual = got.toFloatArray();
        double maxDiff = 0;
        int worst = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) actual[i] - expected[i]);
            if (!(d <= atol + rtol * Math.abs(expected[i]))) {
                if (worst < 0 || d > Math.abs((double) actual[worst] - expected[worst])) {
                    worst = i;
                }
            }
            if (!(d <= maxDiff)) {
                maxDiff = d;
            }
        }
        if (worst >= 0) {
            fail(name + ": element " + worst + " is " + actual[worst] + ", diffusers has " + expected[worst]
                    + " (max abs diff " + maxDiff + ")");
        }
        System.out.printf("%s: max abs diff %.3g%n", name, maxDiff);
        return maxDiff;
    }
}
