package com.inpaintstudio.scheduler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.inpaintstudio.Fixtures;
import com.inpaintstudio.tensor.DjlRuntime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The x0 every scheduler reports (the UI preview) is the clean sample when the model predicts perfectly, for epsilon
 * and v prediction (SD-2): noise a known x0 with addNoise, feed the exact eps or v, get x0 back.
 */
class PredictedX0Test {
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"pndm,epsilon", "ddim,epsilon", "ddpm,epsilon", "euler,epsilon", "euler-a,epsilon", "lms,epsilon",
            "dpmpp-2m,epsilon", "dpmpp-2m-karras,epsilon", "unipc,epsilon", "pndm,v_prediction", "ddim,v_prediction",
            "ddpm,v_prediction", "euler,v_prediction", "euler-a,v_prediction", "lms,v_prediction",
            "dpmpp-2m,v_prediction", "dpmpp-2m-karras,v_prediction", "unipc,v_prediction", "lcm,epsilon",
            "tcd,epsilon", "lcm,v_prediction", "tcd,v_prediction"})
    void perfectPredictionGivesBackX0(String name, String prediction) throws IOException {
        JsonObject cfg = JsonParser.parseString(Files.readString(
                Fixtures.modelDir().resolve("scheduler/scheduler_config.json"))).getAsJsonObject();
        cfg.addProperty("prediction_type", prediction);
        Shape shape = new Shape(1, 4, 8, 8);
        try (NDManager m = DjlRuntime.newManager()) {
            Scheduler s = Schedulers.create(name, cfg, m);
            s.setTimesteps(20);
            DjlRuntime.seed(7);
            NDArray x0 = m.randomNormal(shape);
            NDArray eps = m.randomNormal(shape);
            for (int i : new int[] {0, 10}) {
                double t = s.timesteps()[i];
                float alphaBar = s instanceof SigmaScheduler ss
                        ? 1f / (1f + ss.sigmas[i] * ss.sigmas[i])
                        : ((BaseScheduler) s).schedule.alphasCumprod[(int) t];
                NDArray x = s.addNoise(x0, eps, t);
                NDArray out = prediction.equals("epsilon") ? eps
                        : eps.mul((float) Math.sqrt(alphaBar)).sub(x0.mul((float) Math.sqrt(1 - alphaBar)));
                s.setTimesteps(20);
                if (i > 0) {
                    ((BaseScheduler) s).beginIndex = i; // enter the schedule mid-way, as a strength cut does
                }
                s.scaleModelInput(x, t);
                NDArray got = s.step(out, t, x, s.needsNoise() ? eps : null).predOriginalSample();
                float err = got.sub(x0).abs().max().getFloat();
                assertTrue(err < 1e-3, name + " " + prediction + " at t=" + t + ": max |x0 - x0_true| = " + err);
            }
        }
    }
}
