package com.inpaintstudio.scheduler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.inpaintstudio.Fixtures;
import com.inpaintstudio.model.SafetensorsFile;
import com.inpaintstudio.tensor.DjlRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LCM and TCD against diffusers' own LCMScheduler / TCDScheduler ({@code fixtures/fewstep-schedulers}, made by
 * {@code src/test/reference/fewstep_schedulers.py}): timesteps for 1-50 steps and three {@code original_inference_steps},
 * with the tiny model's and the real SD-1.5 scheduler config; the inpaint pipeline's strength cut and add_noise;
 * fake-model trajectories replaying diffusers' recorded in-step noise (TCD at gamma 0, 0.3, 0.7, 1; v-prediction; a
 * strength cut). All within |got - ref| <= 1e-5 + 1e-5 |ref|.
 */
class FewStepSchedulerParityTest {
    private static final double TOL = 1e-5;
    private static final Shape LATENT = new Shape(1, 4, 8, 8);
    private static final int LATENT_SIZE = 4 * 8 * 8;

    private static JsonObject manifest;
    private static Map<String, JsonObject> configs;
    private static NDManager root;

    @BeforeAll
    static void load() throws IOException {
        manifest = JsonParser.parseString(Files.readString(dir().resolve("manifest.json"))).getAsJsonObject();
        JsonObject tiny = JsonParser.parseString(Files.readString(
                Fixtures.modelDir().resolve("scheduler/scheduler_config.json"))).getAsJsonObject();
        JsonObject sd15;
        try (InputStream in = FewStepSchedulerParityTest.class.getResourceAsStream(
                "/com/inpaintstudio/configs/sd15-inpaint/scheduler/scheduler_config.json")) {
            sd15 = JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        }
        configs = Map.of("tiny", tiny, "sd15", sd15);
        root = DjlRuntime.newManager();
    }

    @AfterAll
    static void close() {
        root.close();
    }

    private static Path dir() {
        try {
            return Path.of(FewStepSchedulerParityTest.class.getResource("/fixtures/fewstep-schedulers/manifest.json")
                    .toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SafetensorsFile open(String name) {
        return SafetensorsFile.open(dir().resolve(name + ".safetensors"));
    }

    private static JsonObject info(String name) {
        return manifest.getAsJsonObject("schedulers").getAsJsonObject(name);
    }

    private static Scheduler create(String name, JsonObject cfg, NDManager m, Double gamma) {
        if (gamma != null && name.equals("tcd")) {
            return new TcdScheduler(new SchedulerConfig(cfg), m, gamma);
        }
        return Schedulers.create(name, cfg, m);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lcm", "tcd"})
    void timestepsMatchForEveryStepCountAndOriginalSchedule(String name) {
        try (SafetensorsFile ref = open(name); NDManager m = root.newSubManager()) {
            int checked = 0;
            for (Map.Entry<String, JsonElement> e : info(name).getAsJsonObject("timesteps").entrySet()) {
                String key = e.getKey(); // <cfg>[_origN]_timesteps_<n>
                String[] parts = key.split("_");
                JsonObject cfg = configs.get(parts[0]).deepCopy();
                if (parts[1].startsWith("orig")) {
                    cfg.addProperty("original_inference_steps", Integer.parseInt(parts[1].substring(4)));
                }
                int n = Integer.parseInt(parts[parts.length - 1]);
                Scheduler s = Schedulers.create(name, cfg, m);
                if (e.getValue().getAsJsonObject().has("error")) {
                    IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> s.setTimesteps(n),
                            key);
                    assertTrue(x.getMessage().contains("at most"), x.getMessage());
                    continue;
                }
                s.setTimesteps(n);
                assertArrayClose(toDouble(ref.readLongs(key)), s.timesteps(), 0, key);
                assertEquals(1.0, s.initNoiseSigma());
                checked++;
            }
            assertTrue(checked >= 30, "checked " + checked);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lcm", "tcd"})
    void strengthCutAndAddNoiseMatch(String name) {
        try (SafetensorsFile ref = open(name); NDManager m = root.newSubManager()) {
            for (String c : new String[] {"tiny", "sd15"}) {
                NDArray original = m.create(ref.readFloats(c + "_add_noise_original"), LATENT);
                NDArray noise = m.create(ref.readFloats(c + "_add_noise_noise"), LATENT);
                for (int n : new int[] {4, 6, 8, 25}) {
                    for (String strength : new String[] {"0.3", "0.5", "0.75", "1"}) {
                        String tag = c + "_strength_" + n + "_" + strength.replace(".", "p");
                        Scheduler s = Schedulers.create(name, configs.get(c), m);
                        s.setTimesteps(n, Double.parseDouble(strength));
                        double[] ts = s.timesteps();
                        assertArrayClose(toDouble(ref.readLongs(tag + "_timesteps")), ts, 0, tag);
                        NDArray noisy = s.addNoise(original, noise, ts[0]);
                        assertArrayClose(toDouble(ref.readFloats(tag + "_add_noise")), toDouble(noisy.toFloatArray()),
                                TOL, tag + " add_noise");
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lcm", "tcd"})
    void trajectoriesReplayDiffusersWithItsRecordedNoise(String name) {
        JsonObject runs = info(name).getAsJsonObject("trajectories");
        try (SafetensorsFile ref = open(name)) {
            for (Map.Entry<String, JsonElement> e : runs.entrySet()) {
                replay(name, e.getKey(), e.getValue().getAsJsonObject(), ref);
            }
        }
    }

    private void replay(String name, String tag, JsonObject meta, SafetensorsFile ref) {
        JsonObject cfg = configs.get(meta.get("config").getAsString()).deepCopy();
        meta.getAsJsonObject("overrides").entrySet().forEach(o -> cfg.add(o.getKey(), o.getValue()));
        Double gamma = meta.get("gamma").isJsonNull() ? null : meta.get("gamma").getAsDouble();
        int steps = meta.get("steps").getAsInt();
        double strength = meta.get("strength").getAsDouble();
        try (NDManager run = root.newSubManager(); NDManager state = root.newSubManager()) {
            Scheduler s = create(name, cfg, state, gamma);
            if (strength < 1) {
                s.setTimesteps(steps, strength);
            } else {
                s.setTimesteps(steps);
            }
            double[] ts = s.timesteps();
            assertArrayClose(toDouble(ref.readLongs(tag + "_timesteps")), ts, 0, tag + " timesteps");
            float[] xs = ref.readFloats(tag + "_x");
            float[] inputs = ref.readFloats(tag + "_model_input");
            float[] eps = ref.readFloats(tag + "_eps");
            float[] preview = ref.readFloats(tag + (name.equals("lcm") ? "_denoised" : "_x0"));
            float[] noise = ref.contains(tag + "_noise") ? ref.readFloats(tag + "_noise") : new float[0];
            assertEquals(meta.get("noise_draws").getAsInt() > 0, s.needsNoise() && ts.length > 1, tag + " needsNoise");
            NDArray x = run.create(slice(xs, 0), LATENT);
            int drawn = 0;
            double worst = 0;
            for (int i = 0; i < ts.length; i++) {
                try (NDManager step = run.newSubManager()) {
                    x.tempAttach(step);
                    NDArray in = s.scaleModelInput(x, ts[i]);
                    assertArrayClose(toDouble(slice(inputs, i)), toDouble(in.toFloatArray()), TOL, tag + " input " + i);
                    NDArray z = null;
                    if (s.needsNoiseAt(ts[i])) {
                        z = step.create(slice(noise, drawn++), LATENT);
                    }
                    StepResult r = s.step(step.create(slice(eps, i), LATENT), ts[i], x, z);
                    float[] got = r.prevSample().toFloatArray();
                    assertArrayClose(toDouble(slice(xs, i + 1)), toDouble(got), TOL, tag + " x after step " + i);
                    assertArrayClose(toDouble(slice(preview, i)), toDouble(r.predOriginalSample().toFloatArray()), TOL,
                            tag + " predicted x0 of step " + i);
                    for (int k = 0; k < got.length; k++) {
                        worst = Math.max(worst, Math.abs(got[k] - xs[(i + 1) * LATENT_SIZE + k]));
                    }
                    x = r.prevSample();
                    x.attach(run);
                }
            }
            assertEquals(meta.get("noise_draws").getAsInt(), drawn, tag + ": noise draws");
            System.out.printf("%s %s: %d steps, %d noise draws, max |x - x_ref| = %.3g%n", name, tag, ts.length, drawn,
                    worst);
        }
    }

    private static float[] slice(float[] all, int i) {
        return Arrays.copyOfRange(all, i * LATENT_SIZE, (i + 1) * LATENT_SIZE);
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static double[] toDouble(long[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static void assertArrayClose(double[] expected, double[] actual, double tol, String what) {
        SchedulerParityTest.assertClose(expected, actual, tol, tol, what);
    }
}
