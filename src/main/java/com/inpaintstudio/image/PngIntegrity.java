package com.inpaintstudio.image;

import com.inpaintstudio.errors.InpaintException;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Checks a PNG's chunk structure and checksums before decoding. Java's PNG decoder ignores CRCs and stops reading
 * once it has its pixels, so a flipped bit or a file that ends early could otherwise open as a subtly wrong picture.
 */
final class PngIntegrity {
    private PngIntegrity() {}

    static boolean isPng(byte[] b) {
        return b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
    }

    /** Throws an {@link InpaintException} naming the problem when {@code png} is cut short or a chunk is damaged. */
    static void verify(String name, byte[] png) {
        int pos = 8;
        CRC32 crc = new CRC32();
        while (true) {
            if (pos + 12 > png.length) {
                throw new InpaintException("'" + name + "' is incomplete: the PNG ends before its end marker (a "
                        + "download or copy was cut short?). Open the complete file, or save it again from an image editor.");
            }
            long len = (png[pos] & 0xffL) << 24 | (png[pos + 1] & 0xff) << 16 | (png[pos + 2] & 0xff) << 8
                    | (png[pos + 3] & 0xff);
            if (len > png.length - pos - 12L) {
                throw new InpaintException("'" + name + "' is incomplete or damaged: a PNG chunk claims " + len
                        + " bytes but the file ends first. Open the complete file, or save it again from an image editor.");
            }
            String type = new String(png, pos + 4, 4, StandardCharsets.ISO_8859_1);
            crc.reset();
            crc.update(png, pos + 4, 4 + (int) len);
            int at = pos + 8 + (int) len;
            long stored = (png[at] & 0xffL) << 24 | (png[at + 1] & 0xff) << 16 | (png[at + 2] & 0xff) << 8
                    | (png[at + 3] & 0xff);
            // critical chunks (upper-case first letter: IHDR, PLTE, IDAT, IEND) must be intact, as libpng requires;
            // a damaged ancillary chunk is left to its reader (a damaged colour profile is refused there)
            if (stored != crc.getValue() && Character.isUpperCase(type.charAt(0))) {
                throw new InpaintException("'" + name + "' is damaged: its PNG chunk '" + type.replaceAll("[^ -~]", "?")
                        + "' fails its checksum. Open an undamaged copy, or save it again from an image editor.");
            }
            if (type.equals("IEND")) {
                return;
            }
            pos = at + 4;
        }
    }
}
