package com.inpaintstudio.scheduler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.inpaintstudio.Fixtures;
import com.inpaintstudio.model.SafetensorsFile;
import com.inpaintstudio.tensor.DjlRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Names, config handling, the shared noise schedule and flat state memory. */
class SchedulersTest {
    private static JsonObject fixtureConfig() throws IOException {
        return JsonParser.parseString(Files.readString(Fixtures.modelDir().resolve("scheduler/scheduler_config.json")))
                .getAsJsonObject();
    }

    private static JsonObject sd15Config() throws IOException {
        try (InputStream in = SchedulersTest.class.getResourceAsStream(
                "/com/inpaintstudio/configs/sd15-inpaint/scheduler/scheduler_config.json")) {
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }

    @Test
    void unknownNameListsTheValidOnes() throws IOException {
        JsonObject cfg = fixtureConfig();
        try (NDManager m = DjlRuntime.newManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Schedulers.create("k_euler", cfg, m));
            assertTrue(e.getMessage().contains("k_euler"), e.getMessage());
            for (String n : Schedulers.names()) {
                assertTrue(e.getMessage().contains(n), e.getMessage());
            }
        }
    }

    @Test
    void namesAndClasses() throws IOException {
        assertEquals(List.of("pndm", "ddim", "euler", "euler-a", "dpmpp-2m", "dpmpp-2m-karras", "lms", "unipc", "ddpm",
                "lcm", "tcd"), Schedulers.names());
        assertEquals("ddim", Schedulers.nameOf("DDIMScheduler"));
        assertEquals("euler-a", Schedulers.nameOf("EulerAncestralDiscreteScheduler"));
        assertThrows(IllegalArgumentException.class, () -> Schedulers.nameOf("HeunDiscreteScheduler"));
        try (NDManager m = DjlRuntime.newManager()) {
            assertEquals("pndm", Schedulers.create(null, fixtureConfig(), m).name());
            assertEquals("ddim", Schedulers.create(null, sd15Config(), m).name());
            assertEquals("euler", Schedulers.create(" Euler ", sd15Config(), m).name());
        }
    }

    @Test
    void configDefaultsFollowTheChosenScheduler() throws IOException {
        try (NDManager m = DjlRuntime.newManager()) {
            // The SD-1.5 DDIM config has no timestep_spacing: DDIM takes "leading", Euler "linspace".
            Scheduler ddim = Schedulers.create("ddim", sd15Config(), m);
            ddim.setTimesteps(4);
            assertArrayEquals(new double[] {751, 501, 251, 1}, ddim.timesteps());
            Scheduler euler = Schedulers.create("euler", sd15Config(), m);
            euler.setTimesteps(4);
            assertArrayEquals(new double[] {999, 666, 333, 0}, euler.timesteps());
            // Euler with leading spacing (first t = 951) starts from sqrt(sigma(951)^2 + 1); DPM++ trailing ends at 49.
            cfg0(m, "euler", "leading", 20, s -> assertEquals(11.07358, s.initNoiseSigma(), 1e-5));
            cfg0(m, "dpmpp-2m", "trailing", 20, s -> {
                assertEquals(999, s.timesteps()[0]);
                assertEquals(49, s.timesteps()[19]);
            });
            // _use_default_values: listed keys are ignored, as diffusers' from_config does.
            JsonObject cfg = sd15Config();
            cfg.addProperty("timestep_spacing", "trailing");
            Scheduler trailing = Schedulers.create("ddim", cfg, m);
            trailing.setTimesteps(4);
            assertArrayEquals(new double[] {999, 749, 499, 249}, trailing.timesteps());
            cfg.add("_use_default_values", JsonParser.parseString("[\"timestep_spacing\"]"));
            Scheduler leading = Schedulers.create("ddim", cfg, m);
            leading.setTimesteps(4);
            assertArrayEquals(new double[] {751, 501, 251, 1}, leading.timesteps());
        }
    }

    private static void cfg0(NDManager m, String name, String spacing, int steps,
            java.util.function.Consumer<Scheduler> check) throws IOException {
        JsonObject cfg = sd15Config();
        cfg.addProperty("timestep_spacing", spacing);
        Scheduler s = Schedulers.create(name, cfg, m);
        s.setTimesteps(steps);
        check.accept(s);
    }

    @Test
    void badConfigValuesGetClearMessages() throws IOException {
        JsonObject cfg = sd15Config();
        cfg.addProperty("beta_schedule", "cosine");
        try (NDManager m = DjlRuntime.newManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Schedulers.create("ddim", cfg, m));
            assertTrue(e.getMessage().contains("beta_schedule") && e.getMessage().contains("scaled_linear"),
                    e.getMessage());
            Scheduler s = Schedulers.create("euler", sd15Config(), m);
            assertThrows(IllegalArgumentException.class, () -> s.setTimesteps(0));
            assertThrows(IllegalArgumentException.class, () -> s.setTimesteps(20, 0.01));
        }
    }

    @Test
    void betasAndAlphasCumprodEqualTorch() {
        SchedulerConfig cfg = new SchedulerConfig(JsonParser.parseString(
                "{\"beta_schedule\":\"scaled_linear\",\"beta_start\":0.00085,\"beta_end\":0.012}").getAsJsonObject());
        NoiseSchedule s = new NoiseSchedule(cfg);
        try (SafetensorsFile common = Fixtures.openCase("schedulers/common")) {
            assertArrayEquals(common.readFloats("betas"), s.betas, 0f);
            assertArrayEquals(common.readFloats("alphas_cumprod"), s.alphasCumprod, 0f);
        }
    }

    /** Many steps with a per-step manager: the state manager holds at most the history window, the run stays flat. */
    @ParameterizedTest
    @ValueSource(strings = {"pndm", "dpmpp-2m", "lms", "unipc", "euler-a", "ddim"})
    void stateMemoryStaysBounded(String name) throws IOException {
        Shape shape = new Shape(1, 4, 8, 8);
        // Separate roots: getManagedArrays counts sub-managers' arrays too.
        try (NDManager run = DjlRuntime.newManager(); NDManager state = DjlRuntime.newManager()) {
            Scheduler s = Schedulers.create(name, sd15Config(), state);
            for (int round = 0; round < 2; round++) {
                s.setTimesteps(50);
                assertEquals(0, state.getManagedArrays().size(), "setTimesteps frees the history");
                DjlRuntime.seed(round);
                NDArray x = run.randomNormal(shape).mul((float) s.initNoiseSigma());
                int runArrays = run.getManagedArrays().size();
                int maxState = 0;
                for (double t : s.timesteps()) {
                    try (NDManager step = run.newSubManager()) {
                        x.attach(step); // the old sample dies with the step
                        NDArray in = s.scaleModelInput(x, t);
                        NDArray eps = in.mul(0.1f).add((float) (0.05 * Math.sin(t / 100.0)));
                        NDArray noise = s.needsNoise() ? step.randomNormal(shape) : null;
                        StepResult r = s.step(eps, t, x, noise);
                        x = r.prevSample();
                        x.attach(run);
                    }
                    maxState = Math.max(maxState, state.getManagedArrays().size());
                    assertEquals(runArrays, run.getManagedArrays().size(), "arrays left in the run manager");
                }
                assertTrue(maxState <= 5, name + " kept " + maxState + " arrays");
                assertTrue(Float.isFinite(x.abs().max().getFloat()), "finite result");
            }
        }
    }
}
