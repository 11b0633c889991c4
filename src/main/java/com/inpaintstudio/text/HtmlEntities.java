package com.inpaintstudio.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes HTML character references the way ftfy's {@code unescape_html} does: named references from the HTML5
 * table that end in ';' (plus ftfy's upper-case variants such as {@code &EACUTE;}), and numeric references
 * {@code &#NN;}/{@code &#xHH;} with Python's {@code html.unescape} rules for invalid code points.
 */
final class HtmlEntities {
    private static final Pattern ENTITY = Pattern.compile("&#?[0-9A-Za-z]{1,24};");
    private static final Pattern DECIMAL = Pattern.compile("&#([0-9]+);");
    private static final Pattern HEX = Pattern.compile("&#[xX]([0-9a-fA-F]+);");
    private static final Map<String, String> NAMED = load();

    private HtmlEntities() {}

    static String unescape(String text) {
        if (text.indexOf('&') < 0) {
            return text;
        }
        Matcher m = ENTITY.matcher(text);
        StringBuilder sb = new StringBuilder(text.length());
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement(m.group())));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String replacement(String entity) {
        String named = NAMED.get(entity.substring(1, entity.length() - 1));
        if (named != null) {
            return named;
        }
        Matcher d = DECIMAL.matcher(entity);
        if (d.matches()) {
            return numeric(d.group(1), 10);
        }
        Matcher h = HEX.matcher(entity);
        if (h.matches()) {
            return numeric(h.group(1), 16);
        }
        return entity;
    }

    /** Python's html._replace_charref for a numeric reference. */
    private static String numeric(String digits, int radix) {
        long num;
        try {
            num = Long.parseLong(digits, radix);
        } catch (NumberFormatException e) {
            num = Long.MAX_VALUE; // far beyond U+10FFFF
        }
        if (num == 0) {
            return "\uFFFD";
        }
        if (num == 0x0D) {
            return "\r";
        }
        if (num >= 0x80 && num <= 0x9F) {
            return String.valueOf(Cp1252.decode((int) num));
        }
        if ((num >= 0xD800 && num <= 0xDFFF) || num > 0x10FFFF) {
            return "\uFFFD";
        }
        int cp = (int) num;
        if ((cp >= 0x1 && cp <= 0x8) || (cp >= 0xE && cp <= 0x1F) || cp == 0xB || (cp >= 0x7F && cp <= 0x9F)
                || (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE) {
            return "";
        }
        return new String(Character.toChars(cp));
    }

    private static Map<String, String> load() {
        Map<String, String> map = new HashMap<>(4096);
        try (InputStream in = HtmlEntities.class.getResourceAsStream("html-entities.tsv")) {
            if (in == null) {
                throw new IllegalStateException("html-entities.tsv missing from the application jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int tab = line.indexOf('\t');
                StringBuilder value = new StringBuilder();
                for (String hex : line.substring(tab + 1).split(" ")) {
                    value.appendCodePoint(Integer.parseInt(hex, 16));
                }
                map.put(line.substring(0, tab), value.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(map);
    }
}
