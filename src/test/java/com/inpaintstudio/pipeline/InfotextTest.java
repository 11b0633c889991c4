package com.inpaintstudio.pipeline;

import com.inpaintstudio.image.Mask;
import com.inpaintstudio.image.RgbImage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parameters text as A1111 writes (quote) and reads it (parse_generation_parameters), and the round trip. */
class InfotextTest {
    static final String A1111_TEXT = "a (red:1.2) fox, <lora:grain:0.8>\n"
            + "in the snow\n"
            + "Negative prompt: lowres, bad hands\n"
            + "Steps: 30, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 6.5, Seed: 1234, Size: 512x768, "
            + "Model hash: 6ce0161689, Model: v1-5-pruned-emaonly, Denoising strength: 0.6, Mask blur: 4, "
            + "Masked content: fill, Inpaint area: Only masked, Masked area padding: 48, "
            + "TI hashes: \"easynegative: c74b4e810b03, bad-hands: 0123456789ab\", Version: v1.10.1";

    @Test
    void quoteIsA1111s() {
        assertEquals("plain value", GenerationParameters.quote("plain value"));
        assertEquals("\"tiny, v2: inpaint\"", GenerationParameters.quote("tiny, v2: inpaint"));
        assertEquals("\"a: b\"", GenerationParameters.quote("a: b"));
        assertEquals("\"line\\nbreak\"", GenerationParameters.quote("line\nbreak"));
        assertEquals("\"say \\\"hi\\\", ok\"", GenerationParameters.quote("say \"hi\", ok"));
        assertEquals("\"東京, café \\\\ \\t\"", GenerationParameters.quote("東京, café \\ \t"), "non-ASCII kept as is");
        assertEquals("no \"quote\" needed", GenerationParameters.quote("no \"quote\" needed"));
    }

    @Test
    void parsesWhatA1111Writes() {
        Map<String, String> p = InfotextParser.parse(A1111_TEXT);
        assertEquals("a (red:1.2) fox, <lora:grain:0.8>\nin the snow", p.get("Prompt"));
        assertEquals("lowres, bad hands", p.get("Negative prompt"));
        assertEquals("512", p.get("Size-1"));
        assertEquals("768", p.get("Size-2"));
        assertEquals("easynegative: c74b4e810b03, bad-hands: 0123456789ab", p.get("TI hashes"));
        assertEquals("v1.10.1", p.get("Version"));
        InfotextSettings s = InfotextSettings.from(p);
        assertEquals(30, s.steps());
        assertEquals("dpmpp-2m-karras", s.scheduler());
        assertEquals(6.5, s.guidance());
        assertEquals(1234L, s.seed());
        assertEquals(512, s.width());
        assertEquals(768, s.height());
        assertEquals(0.6, s.strength());
        assertEquals(4, s.maskBlur());
        assertEquals(MaskedContent.FILL, s.maskedContent());
        assertEquals(true, s.onlyMasked());
        assertEquals(48, s.padding());
        assertEquals("v1-5-pruned-emaonly", s.model());
        assertEquals("6ce0161689", s.modelHash());
        assertTrue(s.notes().isEmpty(), s.notes().toString());
    }

    @Test
    void promptOnlyTextsAndShortLastLines() {
        Map<String, String> p = InfotextParser.parse("just a prompt\nSteps: 20, Seed: 3");
        assertEquals("just a prompt\nSteps: 20, Seed: 3", p.get("Prompt"), "fewer than 3 pairs: still prompt");
        assertNull(p.get("Steps"));
        p = InfotextParser.parse("  a cat  \n  Negative prompt:   dog \n second  \nSteps: 5, Seed: 1, CFG scale: 7");
        assertEquals("a cat", p.get("Prompt"));
        assertEquals("dog\nsecond", p.get("Negative prompt"));
        p = InfotextParser.parse("x\nSteps: 5, Seed: 1, CFG scale: 7, Empty: , Model: m");
        assertFalse(p.containsKey("Empty"), "A1111 skips a key with an empty value");
        assertEquals("m", p.get("Model"));
    }

    @Test
    void samplersAsA1111NamesThem() {
        List<String> notes = new ArrayList<>();
        assertEquals("dpmpp-2m-karras", InfotextSettings.scheduler("DPM++ 2M Karras", null, notes), "old style");
        assertEquals("dpmpp-2m-karras", InfotextSettings.scheduler("DPM++ 2M", null, notes), ">= 1.9: Automatic = Karras");
        assertEquals("dpmpp-2m-karras", InfotextSettings.scheduler("DPM++ 2M", "Automatic", notes));
        assertEquals("dpmpp-2m", InfotextSettings.scheduler("DPM++ 2M", "Uniform", notes));
        assertEquals("dpmpp-2m", InfotextSettings.scheduler("DPM++ 2M", "SGM Uniform", notes));
        assertEquals("euler-a", InfotextSettings.scheduler("Euler a", "Automatic", notes));
        assertEquals("pndm", InfotextSettings.scheduler("PLMS", null, notes));
        assertEquals("ddpm", InfotextSettings.scheduler("DDPM", null, notes), "our own names are read back");
        assertTrue(notes.isEmpty(), notes.toString());
        assertEquals("euler", InfotextSettings.scheduler("Euler", "Exponential", notes));
        assertEquals(1, notes.size(), "a schedule we lack is said, not silently dropped");
        assertNull(InfotextSettings.scheduler("Heun", null, notes));
        assertEquals(2, notes.size());
    }

    static InpaintRequest tricky(String prompt, String negative, boolean inpaint) {
        InpaintRequest.Builder b = InpaintRequest.builder().prompt(prompt).negativePrompt(negative).steps(17)
                .guidance(6.25).seed(424242).strength(0.55).maskBlur(7).onlyMasked(true).padding(24)
                .maskedContent(MaskedContent.FILL);
        if (inpaint) {
            b.image(new RgbImage(8, 8, new int[64])).mask(new Mask(8, 8, new float[64]));
        }
        return b.build();
    }

    @Test
    void roundTripWriterParserWriterOnTrickyValues() {
        List<String> models = List.of("tiny, v2: inpaint", "quote \"in\" it, yes", "new\nline", "東京: café ✓",
                "back\\slash, here", "plain-model");
        List<String[]> prompts = List.of(new String[] {"a cat, (red:1.2), 東京", "ugly, lowres: bad"},
                new String[] {"line one\nline two: still prompt", "neg one\nneg two"},
                new String[] {"emoji 🐱 and \"quotes\"", ""},
                new String[] {"", "only a negative"});
        for (String model : models) {
            for (String[] pr : prompts) {
                for (boolean inpaint : new boolean[] {true, false}) {
                    InpaintRequest r = tricky(pr[0], pr[1], inpaint);
                    Map<String, String> extra = new LinkedHashMap<>();
                    extra.put(GenerationParameters.MODEL_HASH, "0123456789");
                    extra.put("TI hashes", "emb, one: 0123456789ab, other: ba9876543210");
                    String text = GenerationParameters.format(r, "euler", 512, 640, model, extra);
                    Map<String, String> p = InfotextParser.parse(text);
                    assertEquals(model, p.get("Model"), text);
                    assertEquals(extra.get("TI hashes"), p.get("TI hashes"), text);
                    InfotextSettings s = InfotextSettings.from(p);
                    assertTrue(s.notes().isEmpty(), s.notes() + " for " + text);
                    InpaintRequest.Builder back = s.applyTo(InpaintRequest.builder());
                    if (inpaint) {
                        back.image(r.image()).mask(r.mask());
                    }
                    InpaintRequest again = back.build();
                    assertEquals(r.prompt(), again.prompt(), text);
                    assertEquals(r.negativePrompt(), again.negativePrompt(), text);
                    assertEquals("euler", s.scheduler());
                    assertEquals(512, s.width());
                    assertEquals(640, s.height());
                    String text2 = GenerationParameters.format(again, s.scheduler(), s.width(), s.height(), p.get("Model"),
                            Map.of(GenerationParameters.MODEL_HASH, s.modelHash(), "TI hashes", p.get("TI hashes")));
                    assertEquals(text, text2);
                    if (!inpaint) {
                        assertFalse(text.contains("Denoising strength"), "text-to-image: " + text);
                        assertFalse(text.contains("Mask blur"), text);
                    } else {
                        for (String k : List.of("Denoising strength: 0.55", "Mask blur: 7", "Masked content: fill",
                                "Inpaint area: Only masked", "Masked area padding: 24")) {
                            assertTrue(text.contains(k), k + " in " + text);
                        }
                    }
                }
            }
        }
    }

    @Test
    void modelHashComesBeforeModelAsA1111WritesIt() {
        String text = GenerationParameters.format(tricky("p", "", true), "euler", 64, 64, "m",
                Map.of(GenerationParameters.MODEL_HASH, "abcdef0123"));
        assertTrue(text.contains("Size: 64x64, Model hash: abcdef0123, Model: m, Denoising strength"), text);
        assertTrue(text.contains("Inpaint area: Only masked, Masked area padding: 24"), text);
    }
}
