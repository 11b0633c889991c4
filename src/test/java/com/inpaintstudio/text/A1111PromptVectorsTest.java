package com.inpaintstudio.text;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The 45 vectors made by A1111's own parse_prompt_attention and extra_networks.parse_prompt: exact text and weights. */
class A1111PromptVectorsTest {
    private static JsonArray cases() throws Exception {
        try (InputStream in = A1111PromptVectorsTest.class.getResourceAsStream("/fixtures/a1111-prompts/cases.json")) {
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonArray();
        }
    }

    @Test
    void attentionMatchesEveryVectorExactly() throws Exception {
        JsonArray cases = cases();
        assertEquals(45, cases.size());
        List<String> failures = new ArrayList<>();
        for (JsonElement e : cases) {
            JsonObject c = e.getAsJsonObject();
            String prompt = c.get("prompt").getAsString();
            List<PromptAttention.Fragment> expected = new ArrayList<>();
            for (JsonElement f : c.getAsJsonArray("attention")) {
                JsonArray a = f.getAsJsonArray();
                expected.add(new PromptAttention.Fragment(a.get(0).getAsString(), a.get(1).getAsDouble()));
            }
            List<PromptAttention.Fragment> got = PromptAttention.parse(prompt);
            if (!expected.equals(got)) {
                failures.add(prompt + "\n  expected " + expected + "\n  got      " + got);
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void extraNetworksMatchEveryVectorExactly() throws Exception {
        List<String> failures = new ArrayList<>();
        int tagged = 0;
        for (JsonElement e : cases()) {
            JsonObject c = e.getAsJsonObject();
            String prompt = c.get("prompt").getAsString();
            ExtraNetworks.Parsed got = ExtraNetworks.parse(prompt);
            String stripped = c.get("extra_networks_stripped").getAsString();
            Map<String, List<List<String>>> expected = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> n : c.getAsJsonObject("extra_networks").entrySet()) {
                List<List<String>> calls = new ArrayList<>();
                for (JsonElement p : n.getValue().getAsJsonArray()) {
                    List<String> items = new ArrayList<>();
                    p.getAsJsonObject().getAsJsonArray("items").forEach(i -> items.add(i.getAsString()));
                    calls.add(items);
                }
                expected.put(n.getKey(), calls);
            }
            tagged += expected.isEmpty() ? 0 : 1;
            if (!stripped.equals(got.prompt()) || !expected.equals(got.networks())
                    || !List.copyOf(expected.keySet()).equals(List.copyOf(got.networks().keySet()))) {
                failures.add(prompt + "\n  expected " + stripped + " " + expected + "\n  got      " + got);
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertTrue(tagged > 0, "the vectors include tagged prompts");
    }

    @Test
    void loraTagsGiveNameAndStrengths() {
        ExtraNetworks.Parsed p = ExtraNetworks.parse("a cat <lora:film_grain:0.8>, <lora:Detail:1:0.5> <lora:plain> "
                + "<lora:named:te=0.3:unet=0.7> <hypernet:h:1>");
        assertEquals("a cat , ", p.prompt().substring(0, 8));
        assertEquals(List.of(new LoraTag("film_grain", 0.8, 0.8), new LoraTag("Detail", 1.0, 0.5),
                new LoraTag("plain", 1.0, 1.0), new LoraTag("named", 0.3, 0.7)), p.loras());
        assertEquals(List.of(List.of("h", "1")), p.networks().get("hypernet"));
    }

    @Test
    void breakIsOnlyABreakWithWeightExactlyMinusOne() {
        List<PromptAttention.Fragment> f = PromptAttention.parse("(a BREAK b)");
        assertEquals(new PromptAttention.Fragment("BREAK", -1 * 1.1), f.get(1));
        assertTrue(!f.get(1).isBreak());
        assertTrue(PromptAttention.parse("a BREAK b").get(1).isBreak());
    }
}
