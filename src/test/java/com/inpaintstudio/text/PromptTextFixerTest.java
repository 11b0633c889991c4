package com.inpaintstudio.text;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The ftfy rules PromptTextFixer reproduces, with examples from ftfy's own documentation. */
class PromptTextFixerTest {
    @Test
    void htmlEntities() {
        assertEquals("tom & jerry", PromptTextFixer.fix("tom &amp; jerry"));
        assertEquals("& twice", PromptTextFixer.fix("&amp;amp; twice"), "repeated until nothing changes");
        assertEquals("Broken text… it's flubberific!", PromptTextFixer.fix("Broken text&hellip; it&#x2019;s ﬂubberiﬁc!"));
        assertEquals("PÉREZ", PromptTextFixer.fix("P&EACUTE;REZ"));
        assertEquals("ñ Ñ Ñ &nTILDE;", PromptTextFixer.fix("&ntilde; &Ntilde; &NTILDE; &nTILDE;"));
        assertEquals("I'm", PromptTextFixer.fix("I&#x92;m"), "numeric C1 reference read as Windows-1252, then uncurled");
        assertEquals("a &unknown; b &#xZZ;", PromptTextFixer.fix("a &unknown; b &#xZZ;"));
        assertEquals("5 &gt; 3 and 2 < 4", PromptTextFixer.fix("5 &gt; 3 and 2 < 4"), "a '<' means it may be HTML");
        assertEquals("<b>\n&lt;", PromptTextFixer.fix("<b>\n&lt;"), "once a line has '<', later lines keep entities");
        assertEquals("&\n<b>", PromptTextFixer.fix("&amp;\n<b>"),
                "lines before the first '<' are unescaped");
    }

    @Test
    void mojibake() {
        assertEquals("café crème", PromptTextFixer.fix("cafÃ© crÃ¨me"));
        assertEquals("único", PromptTextFixer.fix("Ãºnico"));
        assertEquals("This — should be an em dash", PromptTextFixer.fix("This â€” should be an em dash"));
        assertEquals("naïve café", PromptTextFixer.fix("naïve café"), "valid Latin-1 text stays");
    }

    @Test
    void widthLigaturesQuotesControls() {
        assertEquals("LOUD NOISES", PromptTextFixer.fix("ＬＯＵＤ\u3000ＮＯＩＳＥＳ"));
        assertEquals("fluffiest", PromptTextFixer.fix("ﬂuﬃeﬆ"));
        assertEquals("\"here's a test\"", PromptTextFixer.fix("\u201chere\u2019s a test\u201d"));
        assertEquals("I'm blue", PromptTextFixer.fix("\u0001\u001b[36;44mI'm blue\u001b[0m"));
        assertEquals("a\nb\nc\nd", PromptTextFixer.fix("a\r\nb\rc\u2028d"));
        assertEquals("bellchar zero\u200bwidth", PromptTextFixer.fix("bell\u0007char zero\u200bwidth"));
        assertEquals("x\uFFFDy", PromptTextFixer.fix("x\uD800y"));
        assertEquals("\u00e9", PromptTextFixer.fix("e\u0301"), "NFC");
        assertEquals("ellipsis…", PromptTextFixer.fix("ellipsis\u0085"), "C1 control read as Windows-1252");
    }
}
