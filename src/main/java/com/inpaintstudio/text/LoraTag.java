package com.inpaintstudio.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code <lora:name:strength>} prompt tag: the LoRA's name (its file name without extension), the text-encoder
 * strength and the UNet strength. As A1111's {@code extra_networks_lora}: arguments without {@code =} are
 * positional (name, te, unet), {@code te=}/{@code unet=} name them; te defaults to 1, unet to te.
 */
public record LoraTag(String name, double strength, double unetStrength) {
    static LoraTag of(List<String> items) {
        List<String> positional = new ArrayList<>();
        Map<String, String> named = new HashMap<>();
        for (String it : items) {
            int eq = it.indexOf('=');
            if (eq >= 0) {
                named.put(it.substring(0, eq).trim(), it.substring(eq + 1));
            } else {
                positional.add(it);
            }
        }
        String name = positional.isEmpty() ? "" : positional.get(0);
        double te = positional.size() > 1 ? number(positional.get(1), name) : 1.0;
        if (named.containsKey("te")) {
            te = number(named.get("te"), name);
        }
        double unet = positional.size() > 2 ? number(positional.get(2), name) : te;
        if (named.containsKey("unet")) {
            unet = number(named.get("unet"), name);
        }
        return new LoraTag(name, te, unet);
    }

    private static double number(String s, String name) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("The LoRA tag <lora:" + name + ":" + s + "> has a strength that is not"
                    + " a number; write it like <lora:" + name + ":0.8>.");
        }
    }
}
