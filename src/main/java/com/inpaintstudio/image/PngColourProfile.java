package com.inpaintstudio.image;

import com.inpaintstudio.errors.InpaintException;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The embedded colour profile of a PNG ({@code iCCP} chunk), which Java's PNG decoder ignores: a photo saved in
 * Adobe RGB or Display P3 would otherwise be read as if it were sRGB (washed-out or shifted colours). JPEG profiles
 * (APP2) are applied by the TwelveMonkeys decoder already. Pixels in the profile's space are converted to sRGB
 * (relative colorimetric, littlecms through {@link ColorConvertOp}).
 */
final class PngColourProfile {
    private static final int MAX_PROFILE = 4 << 20;

    private PngColourProfile() {}

    /** The profile in {@code png}'s {@code iCCP} chunk, or empty when there is none (or the file is no PNG). */
    static Optional<ICC_Profile> read(String name, byte[] png) {
        if (png.length < 8 || (png[0] & 0xff) != 0x89 || png[1] != 'P' || png[2] != 'N' || png[3] != 'G') {
            return Optional.empty();
        }
        int pos = 8;
        while (pos + 12 <= png.length) {
            long len = (png[pos] & 0xffL) << 24 | (png[pos + 1] & 0xff) << 16 | (png[pos + 2] & 0xff) << 8
                    | (png[pos + 3] & 0xff);
            String type = new String(png, pos + 4, 4, StandardCharsets.ISO_8859_1);
            int data = pos + 8;
            if (len > png.length - data - 4 || type.equals("IDAT") || type.equals("IEND")) {
                return Optional.empty(); // iCCP must come before the image data
            }
            if (type.equals("iCCP")) {
                return Optional.of(parse(name, png, data, (int) len));
            }
            pos = data + (int) len + 4;
        }
        return Optional.empty();
    }

    private static ICC_Profile parse(String name, byte[] png, int data, int len) {
        int nul = data;
        while (nul < data + len && png[nul] != 0) {
            nul++;
        }
        if (nul + 2 > data + len) {
            throw damaged(name, "its colour profile chunk is cut short");
        }
        Inflater inf = new Inflater();
        inf.setInput(png, nul + 2, data + len - nul - 2);
        byte[] buf = new byte[64 << 10];
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    throw damaged(name, "its colour profile is cut short");
                }
                out.write(buf, 0, n);
                if (out.size() > MAX_PROFILE) {
                    throw damaged(name, "its colour profile is larger than 4 MB");
                }
            }
        } catch (DataFormatException e) {
            throw damaged(name, "its colour profile is not valid compressed data");
        } finally {
            inf.end();
        }
        try {
            return ICC_Profile.getInstance(out.toByteArray());
        } catch (RuntimeException e) {
            throw damaged(name, "its colour profile (ICC) is not valid");
        }
    }

    private static InpaintException damaged(String name, String what) {
        return new InpaintException("'" + name + "' is damaged: " + what + ". Save it again (as PNG or JPEG) from "
                + "an image editor.");
    }

    /** {@code img}'s pixels, taken as values in {@code profile}'s space, converted to sRGB; unchanged for sRGB. */
    static RgbImage toSrgb(String name, RgbImage img, ICC_Profile profile) {
        if (profile.getColorSpaceType() != ColorSpace.TYPE_RGB) {
            return img; // a grey profile on a grey PNG: its values are used as they are
        }
        if (isSrgb(profile)) {
            return img;
        }
        int w = img.width();
        int h = img.height();
        byte[] bytes = new byte[w * h * 3];
        int[] px = img.rgb();
        for (int i = 0; i < px.length; i++) {
            bytes[3 * i] = (byte) (px[i] >> 16);
            bytes[3 * i + 1] = (byte) (px[i] >> 8);
            bytes[3 * i + 2] = (byte) px[i];
        }
        try {
            ColorSpace cs = new ICC_ColorSpace(profile);
            ComponentColorModel cm = new ComponentColorModel(cs, false, false, java.awt.Transparency.OPAQUE,
                    DataBuffer.TYPE_BYTE);
            WritableRaster raster = Raster.createInterleavedRaster(new DataBufferByte(bytes, bytes.length), w, h,
                    3 * w, 3, new int[] {0, 1, 2}, null);
            BufferedImage src = new BufferedImage(cm, raster, false, null);
            BufferedImage dst = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            new ColorConvertOp(null).filter(src, dst);
            int[] out = new int[w * h];
            dst.getRaster().getDataElements(0, 0, w, h, out);
            return new RgbImage(w, h, out);
        } catch (RuntimeException e) {
            throw new InpaintException("'" + name + "' has a colour profile Inpaint Studio cannot apply ("
                    + e.getMessage() + "). Convert it to sRGB in an image editor and open it again.", e);
        }
    }

    private static boolean isSrgb(ICC_Profile p) {
        byte[] desc = p.getData(ICC_Profile.icSigProfileDescriptionTag);
        String d = desc == null ? "" : new String(desc, StandardCharsets.ISO_8859_1);
        return d.contains("sRGB IEC61966-2.1") || d.contains("sRGB IEC61966-2-1") || d.contains("sRGB built-in");
    }
}
