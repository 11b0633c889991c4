package com.inpaintstudio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.inpaintstudio.Fixtures;
import com.inpaintstudio.model.SafetensorsFile;
import com.inpaintstudio.model.SafetensorsWeights;
import com.inpaintstudio.tensor.DjlRuntime;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parity of the CLIP text encoder with transformers' CLIPTextModel on the fixture's 5 prompts (incl. ""). */
class ClipTextModelTest {
    static JsonObject config() throws Exception {
        Path p = Fixtures.modelDir().resolve("text_encoder/config.json");
        return JsonParser.parseString(Files.readString(p)).getAsJsonObject();
    }

    static SafetensorsFile weightsFile() {
        return SafetensorsFile.open(Fixtures.modelDir().resolve("text_encoder/model.safetensors"));
    }

    @Test
    void lastHiddenStateMatchesTransformers() throws Exception {
        try (SafetensorsFile ref = Fixtures.openCase("text_encoder");
             SafetensorsFile wf = weightsFile();
             NDManager weightsManager = DjlRuntime.newManager();
             NDManager m = DjlRuntime.newManager()) {
            ClipTextModel model = ClipTextModel.build(config(), new SafetensorsWeights(List.of(wf), weightsManager));
            long[] ids = ref.readLongs("input_ids");
            NDArray input = m.create(ids, new Shape(5, 77));
            NDArray out = model.encode(input);
            assertEquals(new Shape(5, 77, 32), out.getShape());
            assertEquals(DataType.FLOAT32, out.getDataType());
            assertEquals(m, out.getManager(), "result belongs to the caller's manager");
            float[] got = out.toFloatArray();
            float[] want = ref.readFloats("last_hidden_state");
            assertClose(want, got, 1e-4f, 1e-4f);
        }
    }

    @Test
    void singlePromptRowsEqualBatchRows() throws Exception {
        try (SafetensorsFile ref = Fixtures.openCase("text_encoder");
             SafetensorsFile wf = weightsFile();
             NDManager weightsManager = DjlRuntime.newManager();
             NDManager m = DjlRuntime.newManager()) {
            ClipTextModel model = ClipTextModel.build(config(), new SafetensorsWeights(List.of(wf), weightsManager));
            long[] ids = ref.readLongs("input_ids");
            float[] want = ref.readFloats("last_hidden_state");
            int row = 4; // the "" prompt: the unconditional embedding
            long[] one = java.util.Arrays.copyOfRange(ids, row * 77, row * 77 + 77);
            float[] got = model.encode(m.create(one, new Shape(1, 77))).toFloatArray();
            float[] wantRow = java.util.Arrays.copyOfRange(want, row * 77 * 32, (row + 1) * 77 * 32);
            assertClose(wantRow, got, 1e-4f, 1e-4f);
        }
    }

    @Test
    void rejectsBadInput() throws Exception {
        try (SafetensorsFile wf = weightsFile();
             NDManager weightsManager = DjlRuntime.newManager();
             NDManager m = DjlRuntime.newManager()) {
            ClipTextModel model = ClipTextModel.build(config(), new SafetensorsWeights(List.of(wf), weightsManager));
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> model.encode(m.create(new long[78], new Shape(1, 78))));
            assertTrue(e.getMessage().contains("1..77"), e.getMessage());
            e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> model.encode(m.create(new long[] {49408}, new Shape(1, 1))));
            assertTrue(e.getMessage().contains("out of range"), e.getMessage());
        }
    }

    @Test
    void twentyEncodesLeaveNoArraysBehind() throws Exception {
        try (SafetensorsFile ref = Fixtures.openCase("text_encoder");
             SafetensorsFile wf = weightsFile();
             NDManager weightsManager = DjlRuntime.newManager();
             NDManager m = DjlRuntime.newManager()) {
            ClipTextModel model = ClipTextModel.build(config(), new SafetensorsWeights(List.of(wf), weightsManager));
            NDArray input = m.create(ref.readLongs("input_ids"), new Shape(5, 77));
            model.encode(input).close();
            int weightsBefore = weightsManager.getManagedArrays().size();
            int callerBefore = m.getManagedArrays().size();
            float[] first = null;
            for (int i = 0; i < 20; i++) {
                try (NDArray out = model.encode(input)) {
                    float[] v = out.toFloatArray();
                    if (first == null) {
                        first = v;
                    } else {
                        assertArrayEquals(first, v, "encode is deterministic");
                    }
                }
            }
            assertEquals(weightsBefore, weightsManager.getManagedArrays().size(), "weights manager grew");
            assertEquals(callerBefore, m.getManagedArrays().size(), "caller manager grew");
        }
    }

    static void assertClose(float[] want, float[] got, float atol, float rtol) {
        assertEquals(want.length, got.length);
        double maxErr = 0;
        int worst = -1;
        for (int i = 0; i < want.length; i++) {
            double err = Math.abs(got[i] - want[i]);
            if (err > atol + rtol * Math.abs(want[i]) && (worst < 0 || err > maxErr)) {
                worst = i;
            }
            maxErr = Math.max(maxErr, err);
        }
        System.out.println("ClipTextModel max |err| = " + maxErr);
        assertTrue(worst < 0, "mismatch at " + worst + ": want " + (worst < 0 ? 0 : want[worst]) + " got "
                + (worst < 0 ? 0 : got[worst]) + ", max err " + maxErr);
    }
}
