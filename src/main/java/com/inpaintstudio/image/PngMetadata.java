package com.inpaintstudio.image;

import com.inpaintstudio.errors.InpaintException;

import javax.imageio.ImageIO;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * PNG text chunks, as A1111 and other tools store generation settings (key {@value #PARAMETERS}). Chunks are written
 * right after IHDR: {@code tEXt} when the text is Latin-1 (as PIL's {@code PngInfo.add_text} does), otherwise
 * uncompressed UTF-8 {@code iTXt}. Reading understands {@code tEXt}, {@code zTXt} and {@code iTXt}.
 */
public final class PngMetadata {
    /** The key A1111-style tools read the generation parameters from. */
    public static final String PARAMETERS = "parameters";

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private PngMetadata() {}

    /** The PNG file bytes of {@code img} with the given text chunks (in map order). */
    public static byte[] encode(RgbImage img, Map<String, String> text) {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(ImageFiles.toBufferedImage(img), "png", plain)) {
                throw new InpaintException("No PNG writer is available in this Java runtime.");
            }
        } catch (IOException e) {
            throw new InpaintException("Could not encode the PNG: " + e.getMessage(), e);
        }
        byte[] png = plain.toByteArray();
        if (text.isEmpty()) {
            return png;
        }
        int afterIhdr = SIGNATURE.length + 8 + 13 + 4; // IHDR always comes first and is 13 bytes long
        ByteArrayOutputStream out = new ByteArrayOutputStream(png.length + 256);
        out.write(png, 0, afterIhdr);
        for (Map.Entry<String, String> e : text.entrySet()) {
            writeTextChunk(out, e.getKey(), e.getValue());
        }
        out.write(png, afterIhdr, png.length - afterIhdr);
        return out.toByteArray();
    }

    /**
     * Writes the PNG atomically (temp file + rename, so a reader never sees half a file) with normal permissions:
     * the umask's for a new file, the old file's mode when overwriting (see {@link AtomicFiles}).
     */
    public static void write(RgbImage img, Map<String, String> text, Path file) {
        byte[] bytes = encode(img, text);
        try {
            AtomicFiles.write(file, bytes);
        } catch (IOException e) {
            throw new InpaintException("Could not write '" + file + "': " + OutputTarget.reason(e)
                    + " (check the folder exists and is writable)", e);
        }
    }

    /** The text chunks of a PNG file; empty when it has none or is not a PNG. */
    public static Map<String, String> read(Path file) {
        try {
            return readText(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new InpaintException("Could not read '" + file + "': " + e.getMessage(), e);
        }
    }

    /** The text chunks of PNG bytes, in file order; empty when none or not a PNG. */
    public static Map<String, String> readText(byte[] png) {
        Map<String, String> out = new LinkedHashMap<>();
        if (png.length < SIGNATURE.length || !java.util.Arrays.equals(png, 0, 8, SIGNATURE, 0, 8)) {
            return out;
        }
        int pos = 8;
        while (pos + 12 <= png.length) {
            long len = (png[pos] & 0xffL) << 24 | (png[pos + 1] & 0xff) << 16 | (png[pos + 2] & 0xff) << 8
                    | (png[pos + 3] & 0xff);
            String type = new String(png, pos + 4, 4, StandardCharsets.ISO_8859_1);
            int data = pos + 8;
            if (len > png.length - data - 4) {
                break; // truncated file: keep what was read
            }
            int n = (int) len;
            switch (type) {
                case "tEXt" -> parseText(png, data, n, out);
                case "zTXt" -> parseZText(png, data, n, out);
                case "iTXt" -> parseIText(png, data, n, out);
                default -> { }
            }
            if (type.equals("IEND")) {
                break;
            }
            pos = data + n + 4;
        }
        return out;
    }

    private static void writeTextChunk(ByteArrayOutputStream out, String key, String value) {
        if (key.isEmpty() || key.length() > 79 || !latin1(key)) {
            throw new IllegalArgumentException("PNG text keys are 1-79 Latin-1 characters, got '" + key + "'");
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String type;
        body.writeBytes(key.getBytes(StandardCharsets.ISO_8859_1));
        body.write(0);
        if (latin1(value)) {
            type = "tEXt";
            body.writeBytes(value.getBytes(StandardCharsets.ISO_8859_1));
        } else {
            type = "iTXt";
            body.write(0); // not compressed
            body.write(0); // compression method
            body.write(0); // empty language tag
            body.write(0); // empty translated keyword
            body.writeBytes(value.getBytes(StandardCharsets.UTF_8));
        }
        byte[] b = body.toByteArray();
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        writeInt(out, b.length);
        out.writeBytes(t);
        out.writeBytes(b);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(b);
        writeInt(out, (int) crc.getValue());
    }

    private static boolean latin1(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xff) {
                return false;
            }
        }
        return StandardCharsets.ISO_8859_1.newEncoder().canEncode(s);
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16 & 0xff);
        out.write(v >>> 8 & 0xff);
        out.write(v & 0xff);
    }

    private static int zero(byte[] b, int from, int end) {
        for (int i = from; i < end; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static void parseText(byte[] b, int start, int n, Map<String, String> out) {
        int z = zero(b, start, start + n);
        if (z > start) {
            out.put(new String(b, start, z - start, StandardCharsets.ISO_8859_1),
                    new String(b, z + 1, start + n - z - 1, StandardCharsets.ISO_8859_1));
        }
    }

    private static void parseZText(byte[] b, int start, int n, Map<String, String> out) {
        int z = zero(b, start, start + n);
        if (z > start && z + 2 <= start + n) {
            byte[] text = inflate(b, z + 2, start + n - z - 2);
            if (text != null) {
                out.put(new String(b, start, z - start, StandardCharsets.ISO_8859_1),
                        new String(text, StandardCharsets.ISO_8859_1));
            }
        }
    }

    private static void parseIText(byte[] b, int start, int n, Map<String, String> out) {
        int end = start + n;
        int z = zero(b, start, end);
        if (z <= start || z + 3 > end) {
            return;
        }
        boolean compressed = b[z + 1] != 0;
        int lang = zero(b, z + 3, end);
        int translated = lang < 0 ? -1 : zero(b, lang + 1, end);
        if (translated < 0) {
            return;
        }
        int textStart = translated + 1;
        byte[] text = compressed ? inflate(b, textStart, end - textStart)
                : java.util.Arrays.copyOfRange(b, textStart, end);
        if (text != null) {
            out.put(new String(b, start, z - start, StandardCharsets.ISO_8859_1),
                    new String(text, StandardCharsets.UTF_8));
        }
    }

    private static byte[] inflate(byte[] b, int off, int len) {
        Inflater inf = new Inflater();
        try {
            inf.setInput(b, off, len);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (!inf.finished()) {
                int k = inf.inflate(buf);
                if (k == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    return null;
                }
                out.write(buf, 0, k);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            return null;
        } finally {
            inf.end();
        }
    }
}
