package com.inpaintstudio.scheduler;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.inpaintstudio.pipeline.GenerationParameters;
import com.inpaintstudio.pipeline.InpaintRequest;
import com.inpaintstudio.tensor.DjlRuntime;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scheduler registry: every entry builds, its A1111 infotext, and A1111's infotext read back. */
class SchedulerCatalogTest {
    private static JsonObject sd15Config() throws IOException {
        try (InputStream in = SchedulerCatalogTest.class.getResourceAsStream(
                "/com/inpaintstudio/configs/sd15-inpaint/scheduler/scheduler_config.json")) {
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }

    @Test
    void everyEntryBuildsAndItsClassSelectsIt() throws IOException {
        Set<String> names = new HashSet<>();
        try (NDManager m = DjlRuntime.newManager()) {
            for (SchedulerInfo i : SchedulerCatalog.all()) {
                assertTrue(names.add(i.name()), "duplicate " + i.name());
                Scheduler s = Schedulers.create(i.name(), sd15Config(), m);
                assertEquals(i.name(), s.name());
                s.setTimesteps(Math.min(i.suggestedSteps(), 8));
                if (i.diffusersClass() != null) {
                    JsonObject cfg = sd15Config();
                    cfg.addProperty("_class_name", i.diffusersClass());
                    assertEquals(i.name(), Schedulers.create(null, cfg, m).name());
                }
            }
        }
        assertEquals(SchedulerCatalog.names(), Schedulers.names());
        assertEquals(6, SchedulerCatalog.require("LCM ").suggestedSteps());
        assertEquals(1.0, SchedulerCatalog.require("tcd").suggestedGuidance());
    }

    @Test
    void infotextAsA1111From19WritesIt() {
        assertEquals(Map.of("Sampler", "DPM++ 2M", "Schedule type", "SGM Uniform"),
                SchedulerCatalog.infotext("dpmpp-2m"));
        assertEquals(Map.of("Sampler", "DPM++ 2M", "Schedule type", "Karras"),
                SchedulerCatalog.infotext("dpmpp-2m-karras"));
        assertEquals(Map.of("Sampler", "Euler a", "Schedule type", "Uniform"), SchedulerCatalog.infotext("euler-a"));
        assertEquals(Map.of("Sampler", "LCM", "Schedule type", "SGM Uniform"), SchedulerCatalog.infotext("lcm"));
        assertEquals(List.of("Sampler", "Schedule type", "UniPC order", "UniPC variant"),
                List.copyOf(SchedulerCatalog.infotext("unipc").keySet()));
        // samplers A1111 lacks keep our label and say so; never another A1111 sampler, never a schedule type
        Map<String, String> ddpm = SchedulerCatalog.infotext("ddpm");
        assertEquals("DDPM", ddpm.get("Sampler"));
        assertFalse(ddpm.containsKey("Schedule type"));
        assertTrue(ddpm.get(SchedulerInfo.NOTE_KEY).contains("not an A1111 sampler"), ddpm.toString());
        Map<String, String> tcd = SchedulerCatalog.infotext("tcd");
        assertEquals("TCD", tcd.get("Sampler"));
        assertEquals("0.3", tcd.get("TCD gamma"));
        assertTrue(tcd.get(SchedulerInfo.NOTE_KEY).contains("TCDScheduler"));
        for (SchedulerInfo i : SchedulerCatalog.all()) {
            for (String v : i.infotext().values()) { // values A1111's parser reads unquoted
                assertFalse(v.contains(",") || v.contains(":") || v.contains("\n"), v);
            }
        }
    }

    @Test
    void parametersLineCarriesSamplerAndScheduleType() {
        InpaintRequest r = InpaintRequest.builder().prompt("a cat").steps(20).guidance(7.5).strength(1.0).seed(3)
                .build();
        String text = GenerationParameters.format(r, "dpmpp-2m", 512, 512, "m");
        assertTrue(text.contains("Steps: 20, Sampler: DPM++ 2M, Schedule type: SGM Uniform, CFG scale: 7.5"), text);
        assertTrue(GenerationParameters.format(r, "ddpm", 512, 512, "m")
                .contains("Sampler: DDPM, Sampler note: DDPM is not an A1111 sampler (diffusers DDPMScheduler), CFG"));
    }

    @Test
    void a1111InfotextReadsBackAsA1111ReadsIt() {
        for (SchedulerInfo i : SchedulerCatalog.all()) { // what we write comes back as the same scheduler
            Map<String, String> t = i.infotext();
            SchedulerCatalog.A1111Match back = SchedulerCatalog.fromA1111(t.get("Sampler"), t.get("Schedule type"));
            assertEquals(i, back.scheduler(), i.name());
            assertTrue(back.exact(), i.name());
        }
        // A1111 >= 1.9: a missing schedule type is Automatic = Karras for DPM++ 2M; old names carry the schedule
        assertEquals("dpmpp-2m-karras", SchedulerCatalog.fromA1111("DPM++ 2M", null).scheduler().name());
        assertEquals("dpmpp-2m-karras", SchedulerCatalog.fromA1111("DPM++ 2M Karras", null).scheduler().name());
        assertEquals("dpmpp-2m-karras", SchedulerCatalog.fromA1111("DPM++ 2M", "Automatic").scheduler().name());
        assertEquals("dpmpp-2m", SchedulerCatalog.fromA1111("DPM++ 2M", "sgm_uniform").scheduler().name());
        assertEquals("euler-a", SchedulerCatalog.fromA1111("Euler a", "Automatic").scheduler().name());
        assertEquals("ddim", SchedulerCatalog.fromA1111("DDIM", "Karras").scheduler().name());
        assertEquals("tcd", SchedulerCatalog.fromA1111("tcd", null).scheduler().name());
        SchedulerCatalog.A1111Match exp = SchedulerCatalog.fromA1111("DPM++ 2M", "Exponential");
        assertFalse(exp.exact());
        assertEquals("DPM++ 2M", exp.scheduler().a1111Sampler());
        assertFalse(SchedulerCatalog.fromA1111("LCM", "Automatic").exact());
        assertNull(SchedulerCatalog.fromA1111("Heun", null));
        assertNull(SchedulerCatalog.fromA1111("", null));
    }

    /** The schedule types claimed in the registry, checked against their A1111 definitions on the timestep grid. */
    @Test
    void scheduleTypesMatchA1111Definitions() throws IOException {
        try (NDManager m = DjlRuntime.newManager()) {
            for (int n : new int[] {4, 20, 25}) {
                // SGM Uniform: t = linspace(999, 0, n + 1)[:-1]; diffusers DPM-Solver rounds them to integers
                Scheduler dpm = Schedulers.create("dpmpp-2m", sd15Config(), m);
                dpm.setTimesteps(n);
                // Uniform (get_sigmas(n)): t = linspace(999, 0, n); diffusers Euler keeps them fractional
                Scheduler euler = Schedulers.create("euler", sd15Config(), m);
                euler.setTimesteps(n);
                for (int k = 0; k < n; k++) {
                    assertEquals(Math.rint(999.0 * (n - k) / n), dpm.timesteps()[k], 0.0, "dpmpp-2m n=" + n);
                    assertEquals(999.0 * (n - 1 - k) / (n - 1), euler.timesteps()[k], 1e-4, "euler n=" + n);
                }
            }
        }
    }
}
