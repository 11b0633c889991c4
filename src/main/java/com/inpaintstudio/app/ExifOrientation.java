package com.inpaintstudio.app;

import com.inpaintstudio.image.RgbImage;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The EXIF orientation tag of a JPEG (1 = as stored ... 8) and turning pixels upright by it. */
final class ExifOrientation {
    private ExifOrientation() {}

    /** Orientation 1..8 from the file's Exif APP1 segment; 1 when there is none or the file is not a JPEG. */
    static int read(Path file) {
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw))) {
            if (in.readUnsignedShort() != 0xFFD8) {
                return 1;
            }
            while (true) {
                int marker = in.readUnsignedShort();
                if ((marker & 0xFF00) != 0xFF00 || marker == 0xFFDA || marker == 0xFFD9) {
                    return 1; // start of scan: no Exif before the image data
                }
                int len = in.readUnsignedShort() - 2;
                if (len < 0) {
                    return 1;
                }
                byte[] seg = new byte[len];
                in.readFully(seg);
                if (marker == 0xFFE1 && len > 14 && seg[0] == 'E' && seg[1] == 'x' && seg[2] == 'i' && seg[3] == 'f') {
                    return fromTiff(seg, 6);
                }
            }
        } catch (IOException | RuntimeException e) {
            return 1;
        }
    }

    private static int fromTiff(byte[] b, int base) {
        boolean little = b[base] == 'I';
        int ifd = base + u32(b, base + 4, little);
        int n = u16(b, ifd, little);
        for (int i = 0; i < n; i++) {
            int e = ifd + 2 + i * 12;
            if (e + 12 > b.length) {
                break;
            }
            if (u16(b, e, little) == 0x0112) {
                int v = u16(b, e + 8, little);
                return v >= 1 && v <= 8 ? v : 1;
            }
        }
        return 1;
    }

    private static int u16(byte[] b, int i, boolean little) {
        return little ? (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 : (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
    }

    private static int u32(byte[] b, int i, boolean little) {
        return little ? u16(b, i, true) | u16(b, i + 2, true) << 16 : u16(b, i, false) << 16 | u16(b, i + 2, false);
    }

    /** The picture as it should be seen for the given orientation. */
    static RgbImage apply(RgbImage img, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return img;
        }
        int w = img.width(), h = img.height();
        boolean swap = orientation >= 5;
        int ow = swap ? h : w, oh = swap ? w : h;
        int[] out = new int[w * h];
        int[] src = img.rgb();
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int sx, sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
                    case 4 -> { sx = x; sy = h - 1 - y; }
                    case 5 -> { sx = y; sy = x; }
                    case 6 -> { sx = y; sy = h - 1 - x; }
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
                    default -> { sx = w - 1 - y; sy = x; } // 8
                }
                out[y * ow + x] = src[sy * w + sx];
            }
        }
        return new RgbImage(ow, oh, out);
    }
}
