package com.inpaintstudio.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A1111's prompt emphasis syntax ({@code modules/prompt_parser.py}, {@code parse_prompt_attention}), ported
 * exactly: {@code (a)} x1.1, {@code [a]} x1/1.1, {@code (a:1.5)} an explicit weight, {@code \(} a literal
 * bracket, {@code BREAK} a chunk break (the fragment {@code ("BREAK", -1)}). Unclosed brackets apply at the end;
 * adjacent fragments of exactly equal weight merge. Python's Unicode {@code \d}, {@code \s}, {@code \b} are kept.
 */
public final class PromptAttention {
    /** A piece of prompt text and its weight; {@link #isBreak()} marks a chunk break. */
    public record Fragment(String text, double weight) {
        public boolean isBreak() {
            return weight == -1 && "BREAK".equals(text);
        }
    }

    private static final Pattern ATTENTION = Pattern.compile(
            "\\\\\\(|\\\\\\)|\\\\\\[|\\\\\\]|\\\\\\\\|\\\\|\\(|\\[|:\\s*([+-]?[.\\d]+)\\s*\\)|\\)|\\]|[^\\\\()\\[\\]:]+|:",
            Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern BREAK = Pattern.compile("\\s*\\bBREAK\\b\\s*",
            Pattern.UNICODE_CHARACTER_CLASS | Pattern.DOTALL);
    private static final double ROUND = 1.1;
    private static final double SQUARE = 1 / 1.1;

    private PromptAttention() {}

    public static List<Fragment> parse(String prompt) {
        List<String> texts = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        List<Integer> round = new ArrayList<>();
        List<Integer> square = new ArrayList<>();
        Matcher m = ATTENTION.matcher(prompt);
        while (m.find()) {
            String text = m.group();
            String weight = m.group(1);
            if (text.startsWith("\\")) {
                texts.add(text.substring(1));
                weights.add(1.0);
            } else if (text.equals("(")) {
                round.add(texts.size());
            } else if (text.equals("[")) {
                square.add(texts.size());
            } else if (weight != null && !round.isEmpty()) {
                multiply(weights, round.remove(round.size() - 1), pythonFloat(weight));
            } else if (text.equals(")") && !round.isEmpty()) {
                multiply(weights, round.remove(round.size() - 1), ROUND);
            } else if (text.equals("]") && !square.isEmpty()) {
                multiply(weights, square.remove(square.size() - 1), SQUARE);
            } else {
                String[] parts = BREAK.split(text, -1);
                for (int i = 0; i < parts.length; i++) {
                    if (i > 0) {
                        texts.add("BREAK");
                        weights.add(-1.0);
                    }
                    texts.add(parts[i]);
                    weights.add(1.0);
                }
            }
        }
        for (int pos : round) {
            multiply(weights, pos, ROUND);
        }
        for (int pos : square) {
            multiply(weights, pos, SQUARE);
        }
        if (texts.isEmpty()) {
            texts.add("");
            weights.add(1.0);
        }
        List<Fragment> out = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            double w = weights.get(i);
            if (!out.isEmpty() && out.get(out.size() - 1).weight() == w) {
                Fragment last = out.remove(out.size() - 1);
                out.add(new Fragment(last.text() + texts.get(i), w));
            } else {
                out.add(new Fragment(texts.get(i), w));
            }
        }
        return List.copyOf(out);
    }

    /** True when the prompt has nothing A1111 would read as emphasis or a break (one fragment of weight 1). */
    public static boolean isPlain(List<Fragment> fragments) {
        return fragments.size() == 1 && fragments.get(0).weight() == 1.0;
    }

    private static void multiply(List<Double> weights, int from, double factor) {
        for (int p = from; p < weights.size(); p++) {
            weights.set(p, weights.get(p) * factor);
        }
    }

    /** Python's {@code float()} of {@code [+-]?[.\d]+} where the digits may be any Unicode decimal digits. */
    static double pythonFloat(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (cp == '.' || cp == '+' || cp == '-') {
                sb.append((char) cp);
            } else {
                sb.append((char) ('0' + Character.digit(cp, 10)));
            }
        });
        try {
            return Double.parseDouble(sb.toString());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("The prompt weight '" + s + "' is not a number; write it like (word:1.2).");
        }
    }
}
