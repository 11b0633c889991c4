package com.inpaintstudio.scheduler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.inpaintstudio.Fixtures;
import com.inpaintstudio.model.SafetensorsFile;
import com.inpaintstudio.tensor.DjlRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every scheduler against the fixture's diffusers reference ({@code cases/schedulers/*}): schedules, initial sigma,
 * the 20-step trajectory with the fake model's recorded outputs (and recorded noise for the stochastic ones),
 * add_noise and the strength cut, all within |got - ref| <= 1e-5 + 1e-5 |ref|.
 */
class SchedulerParityTest {
    private static final double ATOL = 1e-5;
    private static final double RTOL = 1e-5;
    private static final Shape LATENT = new Shape(1, 4, 8, 8);
    private static final int LATENT_SIZE = 4 * 8 * 8;

    private static JsonObject baseConfig;
    private static JsonObject manifest;
    private static SafetensorsFile common;
    private static NDManager root;

    @BeforeAll
    static void load() throws IOException {
        baseConfig = JsonParser.parseString(Files.readString(
                Fixtures.modelDir().resolve("scheduler/scheduler_config.json"))).getAsJsonObject();
        JsonObject all = JsonParser.parseString(Files.readString(Fixtures.root().resolve("manifest.json")))
                .getAsJsonObject();
        for (var c : all.getAsJsonArray("cases")) {
            if (c.getAsJsonObject().get("name").getAsString().equals("schedulers")) {
                manifest = c.getAsJsonObject().getAsJsonObject("schedulers");
            }
        }
        common = Fixtures.openCase("schedulers/common");
        root = DjlRuntime.newManager();
    }

    @AfterAll
    static void close() {
        root.close();
        common.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"pndm,pndm", "ddim,ddim", "euler,euler", "euler_ancestral,euler-a", "dpmpp_2m,dpmpp-2m",
            "dpmpp_2m_karras,dpmpp-2m-karras", "lms,lms", "unipc,unipc", "ddpm,ddpm"})
    void schedulesMatch(String fixture, String name) {
        JsonObject info = manifest.getAsJsonObject(fixture);
        try (SafetensorsFile ref = Fixtures.openCase("schedulers/" + fixture); NDManager state = root.newSubManager()) {
            Scheduler s = Schedulers.create(name, baseConfig, state);
            assertEquals(name, s.name());
            assertEquals(info.getAsJsonObject("steps").getAsJsonObject("1").get("order").getAsInt(), s.order());
            for (int n : new int[] {1, 20, 25, 50}) {
                s.setTimesteps(n);
                assertClose(toDouble(ref.readFloats("timesteps_" + n)), s.timesteps(), 1e-4, 0, "timesteps_" + n);
                if (ref.contains("sigmas_" + n)) {
                    float[] sigmas = ((SigmaScheduler) s).sigmas;
                    assertClose(toDouble(ref.readFloats("sigmas_" + n)), toDouble(sigmas), ATOL, RTOL, "sigmas_" + n);
                }
                double init = info.getAsJsonObject("steps").getAsJsonObject(String.valueOf(n))
                        .get("init_noise_sigma").getAsDouble();
                assertClose(new double[] {init}, new double[] {s.initNoiseSigma()}, ATOL, RTOL, "init_noise_sigma " + n);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"pndm,pndm", "ddim,ddim", "euler,euler", "euler_ancestral,euler-a", "dpmpp_2m,dpmpp-2m",
            "dpmpp_2m_karras,dpmpp-2m-karras", "lms,lms", "unipc,unipc", "ddpm,ddpm"})
    void trajectoryMatches(String fixture, String name) {
        try (SafetensorsFile ref = Fixtures.openCase("schedulers/" + fixture); NDManager run = root.newSubManager();
                NDManager state = root.newSubManager()) {
            Scheduler s = Schedulers.create(name, baseConfig, state);
            s.setTimesteps(20);
            double[] ts = s.timesteps();
            assertClose(toDouble(ref.readFloats("traj_timesteps")), ts, 1e-4, 0, "traj_timesteps");
            float[] xs = ref.readFloats("traj_x");
            float[] eps = ref.readFloats("traj_eps");
            float[] inputs = ref.readFloats("traj_model_input");
            float[] noise = ref.contains("traj_noise") ? ref.readFloats("traj_noise") : null;
            assertEquals(noise != null, s.needsNoise());
            NDArray x = run.create(common.readFloats("x_T"), LATENT).mul((float) s.initNoiseSigma());
            assertClose(toDouble(slice(xs, 0)), toDouble(x.toFloatArray()), ATOL, RTOL, "x_T * init_noise_sigma");
            double worst = 0;
            for (int i = 0; i < ts.length; i++) {
                try (NDManager step = run.newSubManager()) {
                    x.tempAttach(step);
                    NDArray in = s.scaleModelInput(x, ts[i]);
                    assertClose(toDouble(slice(inputs, i)), toDouble(in.toFloatArray()), ATOL, RTOL, "model input " + i);
                    NDArray e = step.create(slice(eps, i), LATENT);
                    NDArray z = noise == null ? null : step.create(slice(noise, i), LATENT);
                    StepResult r = s.step(e, ts[i], x, z);
                    assertClose(toDouble(slice(xs, i + 1)), toDouble(r.prevSample().toFloatArray()), ATOL, RTOL,
                            "x after step " + i);
                    assertEquals(LATENT, r.predOriginalSample().getShape());
                    worst = Math.max(worst, maxAbsDiff(slice(xs, i + 1), r.prevSample().toFloatArray()));
                    x = r.prevSample();
                    x.attach(run);
                }
            }
            System.out.printf("%s: 20-step trajectory max |x - x_ref| = %.3g%n", name, worst);
        }
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double w = 0;
        for (int i = 0; i < a.length; i++) {
            w = Math.max(w, Math.abs(a[i] - b[i]));
        }
        return w;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"pndm,pndm", "ddim,ddim", "euler,euler", "euler_ancestral,euler-a", "dpmpp_2m,dpmpp-2m",
            "dpmpp_2m_karras,dpmpp-2m-karras", "lms,lms", "unipc,unipc", "ddpm,ddpm"})
    void strengthCutAndAddNoiseMatch(String fixture, String name) {
        JsonObject info = manifest.getAsJsonObject(fixture).getAsJsonObject("strength");
        try (SafetensorsFile ref = Fixtures.openCase("schedulers/" + fixture); NDManager m = root.newSubManager()) {
            Scheduler s = Schedulers.create(name, baseConfig, m);
            NDArray original = m.create(common.readFloats("add_noise_original"), LATENT);
            NDArray noise = m.create(common.readFloats("add_noise_noise"), LATENT);
            for (String strength : new String[] {"0.3", "0.75", "1.0"}) {
                String key = "strength_" + strength.replace("0.", "0p").replace("1.0", "1");
                s.setTimesteps(20, Double.parseDouble(strength));
                double[] ts = s.timesteps();
                assertClose(toDouble(ref.readFloats(key + "_timesteps")), ts, 1e-4, 0, key + " timesteps");
                assertEquals(info.getAsJsonObject(strength).get("num_steps").getAsInt(), ts.length);
                assertClose(new double[] {info.getAsJsonObject(strength).get("latent_timestep").getAsDouble()},
                        new double[] {ts[0]}, 1e-4, 0, key + " latent timestep");
                NDArray noisy = s.addNoise(original, noise, ts[0]);
                assertClose(toDouble(ref.readFloats(key + "_add_noise")), toDouble(noisy.toFloatArray()), ATOL, RTOL,
                        key + " add_noise");
            }
            if (ref.contains("add_noise_fixed")) {
                long[] fixedT = ref.readLongs("add_noise_fixed_timesteps");
                float[] expected = ref.readFloats("add_noise_fixed");
                for (int k = 0; k < fixedT.length; k++) {
                    NDArray noisy = s.addNoise(original, noise, fixedT[k]);
                    assertClose(toDouble(slice(expected, k)), toDouble(noisy.toFloatArray()), ATOL, RTOL,
                            "add_noise at t=" + fixedT[k]);
                }
            }
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

    static void assertClose(double[] expected, double[] actual, double atol, double rtol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double excess = Math.abs(actual[i] - expected[i]) - (atol + rtol * Math.abs(expected[i]));
            if (excess > worst || Double.isNaN(actual[i])) {
                worst = excess;
                at = i;
            }
        }
        final int bad = at;
        assertTrue(bad < 0, () -> what + ": index " + bad + " expected " + expected[bad] + " got " + actual[bad]
                + (expected.length <= 60 ? "\n expected " + Arrays.toString(expected) + "\n actual   "
                        + Arrays.toString(actual) : ""));
    }
}
