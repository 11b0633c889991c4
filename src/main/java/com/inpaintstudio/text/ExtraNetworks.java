package com.inpaintstudio.text;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A1111's extra-network tags ({@code modules/extra_networks.py}, {@code parse_prompt}): every {@code <name:args>}
 * is removed from the prompt (nothing else changes) and collected by name with its arguments split at each
 * {@code :}. {@code <lora:film_grain:0.8>} gives {@code lora -> [[film_grain, 0.8]]}.
 */
public final class ExtraNetworks {
    private static final Pattern TAG = Pattern.compile("<(\\w+):([^>]+)>", Pattern.UNICODE_CHARACTER_CLASS);

    /** The prompt without its tags, and the tags by name (case kept), each a list of argument lists in order. */
    public record Parsed(String prompt, Map<String, List<List<String>>> networks) {
        /** The {@code <lora:name[:strength]>} tags as name + strength (default 1.0, A1111's). */
        public List<LoraTag> loras() {
            List<LoraTag> out = new ArrayList<>();
            for (List<String> items : networks.getOrDefault("lora", List.of())) {
                out.add(LoraTag.of(items));
            }
            return List.copyOf(out);
        }
    }

    private ExtraNetworks() {}

    public static Parsed parse(String prompt) {
        Map<String, List<List<String>>> res = new LinkedHashMap<>();
        Matcher m = TAG.matcher(prompt);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            res.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(List.of(m.group(2).split(":", -1)));
            m.appendReplacement(sb, "");
        }
        m.appendTail(sb);
        Map<String, List<List<String>>> frozen = new LinkedHashMap<>();
        res.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return new Parsed(sb.toString(), java.util.Collections.unmodifiableMap(frozen));
    }
}
