package com.inpaintstudio.text;

/** ftfy's "sloppy" Windows-1252: bytes 0x80-0x9F as Windows-1252, the five unassigned ones as C1 controls. */
final class Cp1252 {
    private static final char[] HIGH = {
        '\u20AC', '\u0081', '\u201A', '\u0192', '\u201E', '\u2026', '\u2020', '\u2021',
        '\u02C6', '\u2030', '\u0160', '\u2039', '\u0152', '\u008D', '\u017D', '\u008F',
        '\u0090', '\u2018', '\u2019', '\u201C', '\u201D', '\u2022', '\u2013', '\u2014',
        '\u02DC', '\u2122', '\u0161', '\u203A', '\u0153', '\u009D', '\u017E', '\u0178',
    };

    private Cp1252() {}

    /** The character byte {@code b} (0..255) decodes to. */
    static char decode(int b) {
        return b >= 0x80 && b <= 0x9F ? HIGH[b - 0x80] : (char) b;
    }

    /** The byte that encodes {@code c}, or -1 if the character is not in sloppy Windows-1252. */
    static int encode(char c) {
        if (c < 0x80 || (c >= 0xA0 && c <= 0xFF)) {
            return c;
        }
        for (int i = 0; i < HIGH.length; i++) {
            if (HIGH[i] == c) {
                return 0x80 + i;
            }
        }
        return -1;
    }
}
