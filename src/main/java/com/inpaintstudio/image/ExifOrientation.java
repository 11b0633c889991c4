package com.inpaintstudio.image;

/**
 * Reads the EXIF Orientation tag (0x0112) from a JPEG's APP1 segment and applies it, as cameras and phones expect
 * viewers to do. Parsed by hand: javax.imageio ignores it.
 */
public final class ExifOrientation {
    private ExifOrientation() {}

    /** The orientation (1..8) in a JPEG byte stream, or 1 when there is none or the data is not a JPEG. */
    public static int read(byte[] jpeg) {
        if (jpeg.length < 4 || (jpeg[0] & 0xff) != 0xFF || (jpeg[1] & 0xff) != 0xD8) {
            return 1;
        }
        int pos = 2;
        while (pos + 4 <= jpeg.length) {
            if ((jpeg[pos] & 0xff) != 0xFF) {
                return 1;
            }
            int marker = jpeg[pos + 1] & 0xff;
            if (marker == 0xFF) { // fill byte
                pos++;
                continue;
            }
            if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                pos += 2;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) { // start of scan / end: no more metadata
                return 1;
            }
            int len = u16(jpeg, pos + 2, false);
            if (len < 2 || pos + 2 + len > jpeg.length) {
                return 1;
            }
            if (marker == 0xE1) {
                int o = parseExif(jpeg, pos + 4, len - 2);
                if (o != 0) {
                    return o;
                }
            }
            pos += 2 + len;
        }
        return 1;
    }

    private static int parseExif(byte[] b, int start, int len) {
        int end = start + len;
        if (len < 14 || b[start] != 'E' || b[start + 1] != 'x' || b[start + 2] != 'i' || b[start + 3] != 'f'
                || b[start + 4] != 0 || b[start + 5] != 0) {
            return 0;
        }
        int tiff = start + 6;
        boolean little;
        if (b[tiff] == 'I' && b[tiff + 1] == 'I') {
            little = true;
        } else if (b[tiff] == 'M' && b[tiff + 1] == 'M') {
            little = false;
        } else {
            return 0;
        }
        if (u16(b, tiff + 2, little) != 42) {
            return 0;
        }
        long ifd = u32(b, tiff + 4, little);
        long ifdPos = tiff + ifd;
        if (ifd < 8 || ifdPos + 2 > end) {
            return 0;
        }
        int count = u16(b, (int) ifdPos, little);
        for (int i = 0; i < count; i++) {
            int e = (int) ifdPos + 2 + 12 * i;
            if (e + 12 > end) {
                return 0;
            }
            if (u16(b, e, little) == 0x0112) {
                int type = u16(b, e + 2, little);
                int v = type == 3 ? u16(b, e + 8, little) : type == 4 ? (int) u32(b, e + 8, little) : 0;
                return v >= 1 && v <= 8 ? v : 0;
            }
        }
        return 0;
    }

    private static int u16(byte[] b, int p, boolean little) {
        int a = b[p] & 0xff;
        int c = b[p + 1] & 0xff;
        return little ? a | c << 8 : a << 8 | c;
    }

    private static long u32(byte[] b, int p, boolean little) {
        long hi = u16(b, little ? p + 2 : p, little);
        long lo = u16(b, little ? p : p + 2, little);
        return hi << 16 | lo;
    }

    /** The picture as it should be displayed for EXIF orientation {@code o} (1 = as stored). */
    public static RgbImage apply(RgbImage img, int o) {
        if (o <= 1 || o > 8) {
            return img;
        }
        int w = img.width();
        int h = img.height();
        boolean swap = o >= 5;
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        int[] src = img.rgb();
        int[] dst = new int[w * h];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int sx;
                int sy;
                switch (o) {
                    case 2 -> { sx = w - 1 - x; sy = y; }           // mirror horizontal
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }   // rotate 180
                    case 4 -> { sx = x; sy = h - 1 - y; }           // mirror vertical
                    case 5 -> { sx = y; sy = x; }                   // transpose
                    case 6 -> { sx = y; sy = h - 1 - x; }           // rotate 90 clockwise
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }   // transverse
                    default -> { sx = w - 1 - y; sy = x; }          // 8: rotate 90 counter-clockwise
                }
                dst[y * ow + x] = src[sy * w + sx];
            }
        }
        return new RgbImage(ow, oh, dst);
    }
}
