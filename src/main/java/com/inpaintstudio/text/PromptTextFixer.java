package com.inpaintstudio.text;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.regex.Pattern;

/**
 * The text fixes that diffusers' CLIP tokenizer gets from ftfy ({@code ftfy.fix_text}, version 6) before it
 * tokenizes a prompt, as far as they are clear rules: HTML entities (only when the line has no '<', and never
 * again once a line had one), whole-line UTF-8-read-as-Latin-1/Windows-1252 mojibake, C1 controls, Latin
 * ligatures, full/half-width forms, curly quotes, line breaks, surrogates, terminal escapes, control characters,
 * NFC; repeated until nothing changes, as ftfy does.
 *
 * <p>Not reproduced (ftfy decides these with a statistical "badness" score): mojibake in only part of a line,
 * mojibake through other code pages (1250/1251/..., MacRoman, cp437), bytes A0 turned into spaces, and lossy
 * sequences. Prompts with those keep their text as typed.
 */
public final class PromptTextFixer {
    private static final Pattern ANSI = Pattern.compile("\u001B\\[((?:\\d|;)*)([a-zA-Z])");

    private PromptTextFixer() {}

    /** {@code ftfy.fix_text(text)} for the fixes listed in the class comment. */
    public static String fix(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean unescapeHtml = true;
        int pos = 0;
        while (pos < text.length()) {
            int nl = text.indexOf('\n', pos);
            int end = nl < 0 ? text.length() : nl + 1;
            String segment = text.substring(pos, end);
            if (segment.indexOf('<') >= 0) {
                unescapeHtml = false;
            }
            out.append(fixSegment(segment, unescapeHtml));
            pos = end;
        }
        return out.toString();
    }

    private static String fixSegment(String text, boolean unescapeHtml) {
        while (true) {
            String orig = text;
            if (unescapeHtml) {
                text = HtmlEntities.unescape(text);
            }
            text = fixEncoding(text);
            text = fixC1Controls(text);
            text = fixLatinLigatures(text);
            text = fixCharacterWidth(text);
            text = uncurlQuotes(text);
            text = fixLineBreaks(text);
            text = fixSurrogates(text);
            text = ANSI.matcher(text).replaceAll("");
            text = removeControlChars(text);
            text = Normalizer.normalize(text, Normalizer.Form.NFC);
            if (text.equals(orig)) {
                return text;
            }
        }
    }

    /** Text that is UTF-8 bytes read as Latin-1 or Windows-1252 ("cafÃ©"): decode the bytes as UTF-8. */
    static String fixEncoding(String text) {
        while (looksLikeMojibake(text)) {
            String fixed = reinterpretAsUtf8(text, false);
            if (fixed == null) {
                fixed = reinterpretAsUtf8(text, true);
            }
            if (fixed == null || fixed.equals(text)) {
                return text;
            }
            text = fixed;
        }
        return text;
    }

    /** A UTF-8 lead byte's character followed by a continuation byte's character, as Latin-1/1252 shows them. */
    private static boolean looksLikeMojibake(String text) {
        for (int i = 0; i + 1 < text.length(); i++) {
            char a = text.charAt(i);
            if (a >= 0xC2 && a <= 0xF4) {
                int b = Cp1252.encode(text.charAt(i + 1));
                if (b >= 0x80 && b <= 0xBF) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String reinterpretAsUtf8(String text, boolean windows1252) {
        byte[] bytes = new byte[text.length()];
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int b = windows1252 ? Cp1252.encode(c) : (c <= 0xFF ? c : -1);
            if (b < 0) {
                return null;
            }
            bytes[i] = (byte) b;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String fixC1Controls(String text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80 && c <= 0x9F) {
                if (sb == null) {
                    sb = new StringBuilder(text.substring(0, i));
                }
                sb.append(Cp1252.decode(c));
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? text : sb.toString();
    }

    private static String fixLatinLigatures(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\u0132' -> sb.append("IJ");
                case '\u0133' -> sb.append("ij");
                case '\u0149' -> sb.append("\u02BCn");
                case '\u01F1' -> sb.append("DZ");
                case '\u01F2' -> sb.append("Dz");
                case '\u01F3' -> sb.append("dz");
                case '\u01C4' -> sb.append("D\u017D");
                case '\u01C5' -> sb.append("D\u017E");
                case '\u01C6' -> sb.append("d\u017E");
                case '\u01C7' -> sb.append("LJ");
                case '\u01C8' -> sb.append("Lj");
                case '\u01C9' -> sb.append("lj");
                case '\u01CA' -> sb.append("NJ");
                case '\u01CB' -> sb.append("Nj");
                case '\u01CC' -> sb.append("nj");
                case '\uFB00' -> sb.append("ff");
                case '\uFB01' -> sb.append("fi");
                case '\uFB02' -> sb.append("fl");
                case '\uFB03' -> sb.append("ffi");
                case '\uFB04' -> sb.append("ffl");
                case '\uFB05' -> sb.append("\u017Ft");
                case '\uFB06' -> sb.append("st");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** U+3000 to a space, U+FF01..U+FFEF to their NFKC (standard-width) forms. */
    private static String fixCharacterWidth(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u3000') {
                sb.append(' ');
            } else if (c >= '\uFF01' && c <= '\uFFEF') {
                sb.append(Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFKC));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String uncurlQuotes(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u02BC' || (c >= '\u2018' && c <= '\u201B')) {
                sb.append('\'');
            } else if (c >= '\u201C' && c <= '\u201F') {
                sb.append('"');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String fixLineBreaks(String text) {
        return text.replace("\r\n", "\n").replace('\r', '\n').replace('\u2028', '\n').replace('\u2029', '\n')
                .replace('\u0085', '\n');
    }

    /** Pairs of surrogates are already one code point in Java; lone surrogates become U+FFFD. */
    private static String fixSurrogates(String text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean lone = false;
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    if (sb != null) {
                        sb.append(c).append(text.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
                lone = true;
            } else if (Character.isLowSurrogate(c)) {
                lone = true;
            }
            if (lone && sb == null) {
                sb = new StringBuilder(text.substring(0, i));
            }
            if (sb != null) {
                sb.append(lone ? '\uFFFD' : c);
            }
        }
        return sb == null ? text : sb.toString();
    }

    /** ASCII controls except tab/newline/FF/CR, DEL, deprecated Arabic format controls, BOM, U+FFF9..U+FFFC. */
    private static String removeControlChars(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c <= 0x08 || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F
                    || (c >= 0x206A && c <= 0x206F) || c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFC);
            if (!control) {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
