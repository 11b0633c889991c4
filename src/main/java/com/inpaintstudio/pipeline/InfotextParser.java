package com.inpaintstudio.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads A1111 "infotext" (the PNG {@code parameters} text): a port of {@code parse_generation_parameters} from
 * A1111's {@code modules/infotext_utils.py}. The last line is the parameters line when it holds at least three
 * {@code Key: value} pairs; lines before it are the prompt, and from a line starting {@code Negative prompt:} on,
 * the negative prompt. Quoted values are JSON-unquoted; {@code Size: WxH} becomes {@code Size-1}/{@code Size-2}.
 * {@link #toSettings} turns the keys Inpaint Studio understands into request settings.
 */
public final class InfotextParser {
    static final Pattern PARAM = Pattern.compile("\\s*(\\w[\\w \\-/]+):\\s*(\"(?:\\\\.|[^\\\\\"])+\"|[^,]*)(?:,|$)",
            Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern IMAGE_SIZE = Pattern.compile("^(\\d+)x(\\d+)$", Pattern.UNICODE_CHARACTER_CLASS);
    private static final String NEGATIVE = "Negative prompt:";

    private InfotextParser() {}

    /** Every key as A1111 reads it, plus {@code Prompt} and {@code Negative prompt}; insertion order kept. */
    public static Map<String, String> parse(String infotext) {
        Map<String, String> res = new LinkedHashMap<>();
        String[] all = pyStrip(infotext).split("\n", -1);
        String lastLine = all[all.length - 1];
        int promptLines = all.length - 1;
        if (countParams(lastLine) < 3) {
            promptLines = all.length;
            lastLine = "";
        }
        StringBuilder prompt = new StringBuilder();
        StringBuilder negative = new StringBuilder();
        boolean doneWithPrompt = false;
        for (int i = 0; i < promptLines; i++) {
            String line = pyStrip(all[i]);
            if (line.startsWith(NEGATIVE)) {
                doneWithPrompt = true;
                line = pyStrip(line.substring(NEGATIVE.length()));
            }
            StringBuilder target = doneWithPrompt ? negative : prompt;
            if (target.length() > 0) {
                target.append('\n');
            }
            target.append(line);
        }
        Matcher m = PARAM.matcher(lastLine);
        while (m.find()) {
            String k = m.group(1);
            String v = m.group(2);
            if (v.isEmpty()) {
                continue; // A1111: v[0] raises IndexError, the key is skipped
            }
            if (v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"') {
                String u = Json.unquote(v);
                v = u == null ? v : u;
            }
            Matcher size = IMAGE_SIZE.matcher(v);
            if (size.matches()) {
                res.put(k + "-1", size.group(1));
                res.put(k + "-2", size.group(2));
            } else {
                res.put(k, v);
            }
        }
        res.put("Prompt", prompt.toString());
        res.put("Negative prompt", negative.toString());
        return res;
    }

    private static int countParams(String line) {
        Matcher m = PARAM.matcher(line);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** Python's {@code str.strip()}: whitespace as {@code str.isspace} knows it, at both ends. */
    static String pyStrip(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && isPySpace(s.charAt(a))) {
            a++;
        }
        while (b > a && isPySpace(s.charAt(b - 1))) {
            b--;
        }
        return s.substring(a, b);
    }

    private static boolean isPySpace(char c) {
        return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680
                || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F
                || c == 0x3000;
    }

    /** {@link #parse} and then {@link InfotextSettings#from}. */
    public static InfotextSettings toSettings(String infotext) {
        return InfotextSettings.from(parse(infotext));
    }
}
