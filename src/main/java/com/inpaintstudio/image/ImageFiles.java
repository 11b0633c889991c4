package com.inpaintstudio.image;

import com.inpaintstudio.errors.InpaintException;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Reads photos and masks (PNG, JPEG, BMP, GIF) and writes PNG. Transparent pixels are flattened onto white, JPEG EXIF
 * orientation is applied. Every failure is an {@link InpaintException} with a message for the user.
 */
public final class ImageFiles {
    private ImageFiles() {}

    /** Reads a photo. */
    public static RgbImage readImage(Path file) {
        byte[] bytes = readBytes(file);
        BufferedImage bi = decode(file, bytes);
        RgbImage img = toRgb(bi);
        String name = String.valueOf(file.getFileName());
        java.util.Optional<java.awt.color.ICC_Profile> icc = PngColourProfile.read(name, bytes);
        if (icc.isPresent()) {
            img = PngColourProfile.toSrgb(name, img, icc.get()); // Adobe RGB, Display P3, ... -> sRGB
        }
        if (isJpeg(bytes)) {
            img = ExifOrientation.apply(img, ExifOrientation.read(bytes));
        }
        return img;
    }

    /**
     * Reads a mask: white = repaint. Opaque pictures give luminance / 255 (ITU-R 601 weights as PIL's
     * {@code convert("L")}); a picture with transparency gives its alpha / 255 (strokes painted on a transparent
     * layer). JPEG EXIF orientation is applied as for photos.
     */
    public static Mask readMask(Path file) {
        byte[] bytes = readBytes(file);
        BufferedImage bi = decode(file, bytes);
        Mask m = toMask(bi);
        if (isJpeg(bytes)) {
            int o = ExifOrientation.read(bytes);
            if (o > 1) {
                // orient through the pixel path: pack the 8-bit mask as gray, rotate, unpack
                int[] px = new int[m.values().length];
                for (int i = 0; i < px.length; i++) {
                    px[i] = Math.round(m.values()[i] * 255f);
                }
                RgbImage r = ExifOrientation.apply(new RgbImage(m.width(), m.height(), px), o);
                float[] v = new float[px.length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = r.rgb()[i] / 255f;
                }
                m = new Mask(r.width(), r.height(), v);
            }
        }
        return m;
    }

    /** Writes an 8-bit RGB PNG (through a temporary file, so a reader never sees half a file). */
    public static void writePng(RgbImage img, Path file) {
        PngMetadata.write(img, java.util.Map.of(), file);
    }

    /** Writes a mask as an 8-bit grayscale PNG (value x 255, rounded), atomically as {@link #writePng}. */
    public static void writeMaskPng(Mask mask, Path file) {
        BufferedImage bi = new BufferedImage(mask.width(), mask.height(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] data = ((java.awt.image.DataBufferByte) bi.getRaster().getDataBuffer()).getData();
        float[] v = mask.values();
        for (int i = 0; i < v.length; i++) {
            data[i] = (byte) Math.round(Math.max(0f, Math.min(1f, v[i])) * 255f);
        }
        try {
            java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
            if (!ImageIO.write(bi, "png", png)) {
                throw new InpaintException("No PNG writer is available in this Java runtime.");
            }
            AtomicFiles.write(file, png.toByteArray());
        } catch (IOException e) {
            throw new InpaintException("Could not write '" + file + "': " + OutputTarget.reason(e), e);
        }
    }

    /** The pixels of a decoded picture, transparency flattened onto white. */
    public static RgbImage toRgb(BufferedImage bi) {
        int w = bi.getWidth();
        int h = bi.getHeight();
        int[] out = new int[w * h];
        Raster r = bi.getRaster();
        ColorModel cm = bi.getColorModel();
        int bands = r.getNumBands();
        if (!(cm instanceof IndexColorModel) && bands <= 2) {
            // gray (+alpha): read samples directly; getRGB would apply a linear->sRGB curve to gray
            int max = (1 << cm.getComponentSize(0)) - 1;
            int amax = bands == 2 ? (1 << cm.getComponentSize(1)) - 1 : 1;
            int[] g = r.getSamples(0, 0, w, h, 0, (int[]) null);
            int[] a = bands == 2 ? r.getSamples(0, 0, w, h, 1, (int[]) null) : null;
            for (int i = 0; i < out.length; i++) {
                int v = Math.round(g[i] * 255f / max);
                if (a != null) {
                    v = flatten(v, Math.round(a[i] * 255f / amax));
                }
                out[i] = v << 16 | v << 8 | v;
            }
            return new RgbImage(w, h, out);
        }
        int[] argb = bi.getRGB(0, 0, w, h, null, 0, w);
        boolean alpha = cm.hasAlpha();
        for (int i = 0; i < out.length; i++) {
            int p = argb[i];
            if (alpha) {
                int a = p >>> 24;
                p = flatten(p >> 16 & 0xff, a) << 16 | flatten(p >> 8 & 0xff, a) << 8 | flatten(p & 0xff, a);
            }
            out[i] = p & 0xffffff;
        }
        return new RgbImage(w, h, out);
    }

    /** A decoded picture as a mask (see {@link #readMask}). */
    public static Mask toMask(BufferedImage bi) {
        int w = bi.getWidth();
        int h = bi.getHeight();
        float[] v = new float[w * h];
        ColorModel cm = bi.getColorModel();
        Raster r = bi.getRaster();
        if (cm.hasAlpha()) {
            int[] alpha = alphaSamples(bi);
            boolean translucent = false;
            for (int a : alpha) {
                if (a < 255) {
                    translucent = true;
                    break;
                }
            }
            if (translucent) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = alpha[i] / 255f;
                }
                return new Mask(w, h, v);
            }
        }
        if (!(cm instanceof IndexColorModel) && r.getNumBands() <= 2) {
            int max = (1 << cm.getComponentSize(0)) - 1;
            int[] g = r.getSamples(0, 0, w, h, 0, (int[]) null);
            for (int i = 0; i < v.length; i++) {
                v[i] = Math.round(g[i] * 255f / max) / 255f;
            }
            return new Mask(w, h, v);
        }
        int[] argb = bi.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < v.length; i++) {
            v[i] = luminance(argb[i]) / 255f;
        }
        return new Mask(w, h, v);
    }

    /** PIL's {@code convert("L")}: {@code (R*19595 + G*38470 + B*7471 + 0x8000) >> 16}. */
    public static int luminance(int rgb) {
        return ((rgb >> 16 & 0xff) * 19595 + (rgb >> 8 & 0xff) * 38470 + (rgb & 0xff) * 7471 + 0x8000) >> 16;
    }

    /** Wraps pixels in an AWT picture (TYPE_INT_RGB, sharing nothing). */
    public static BufferedImage toBufferedImage(RgbImage img) {
        BufferedImage bi = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_INT_RGB);
        bi.getRaster().setDataElements(0, 0, img.width(), img.height(), img.rgb().clone());
        return bi;
    }

    private static int[] alphaSamples(BufferedImage bi) {
        int w = bi.getWidth();
        int h = bi.getHeight();
        Raster alphaRaster = bi.getAlphaRaster();
        ColorModel cm = bi.getColorModel();
        if (alphaRaster != null && !(cm instanceof IndexColorModel)) {
            int bits = cm.getComponentSize(cm.getNumComponents() - 1);
            int max = (1 << bits) - 1;
            int[] a = alphaRaster.getSamples(0, 0, w, h, 0, (int[]) null);
            for (int i = 0; i < a.length; i++) {
                a[i] = Math.round(a[i] * 255f / max);
            }
            return a;
        }
        int[] argb = bi.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < argb.length; i++) {
            argb[i] = argb[i] >>> 24;
        }
        return argb;
    }

    private static int flatten(int c, int a) {
        // c over white: c*a + 255*(1-a), in 8 bits with rounding
        return (c * a + 255 * (255 - a) + 127) / 255;
    }

    private static boolean isJpeg(byte[] b) {
        return b.length > 2 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8;
    }

    private static byte[] readBytes(Path file) {
        if (Files.isDirectory(file)) {
            throw new InpaintException("'" + file + "' is a folder, not an image file.");
        }
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InpaintException("'" + file + "' does not exist: check the path.");
        } catch (IOException | SecurityException e) {
            throw new InpaintException("Could not read '" + file + "': " + e.getMessage(), e);
        }
    }

    /**
     * Decodes with the reader ImageIO picks (TwelveMonkeys' for JPEG: CMYK, YCCK and embedded ICC profiles become
     * sRGB), after checking the declared size against {@link #MAX_PIXELS} and {@link #MAX_SIDE}. A file that ends
     * early or is damaged so that only part of it decodes is refused, not shown half grey.
     */
    private static BufferedImage decode(Path file, byte[] bytes) {
        String name = String.valueOf(file.getFileName());
        if (PngIntegrity.isPng(bytes)) {
            PngIntegrity.verify(name, bytes);
        }
        List<String> warnings = new ArrayList<>();
        BufferedImage bi;
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = in == null ? java.util.Collections.emptyIterator() : ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new InpaintException("'" + name + "' is not an image Inpaint Studio can read (PNG, JPEG, BMP or GIF)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                reader.addIIOReadWarningListener((src, w) -> warnings.add(w));
                checkSize(name, reader.getWidth(0), reader.getHeight(0));
                bi = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (InpaintException e) {
            throw e;
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            if (endsEarly(e)) {
                throw truncated(name, e.getMessage());
            }
            String fmt = isJpeg(bytes) ? " (a damaged JPEG, or an encoding this Java runtime cannot decode:"
                    + " save it again as an RGB JPEG or a PNG)" : " (damaged or cut short? save it again from an image editor)";
            throw new InpaintException("'" + name + "' could not be decoded" + fmt + ": " + e.getMessage(), e);
        }
        for (String w : warnings) {
            if (w != null && PARTIAL.matcher(w).find()) {
                throw truncated(name, w);
            }
        }
        return bi;
    }

    /** Largest picture opened, in pixels (a 40 MP photo needs ~0.5 GB as pixels, masks and working copies). */
    public static final long MAX_PIXELS = 40_000_000L;
    /** Longest side opened. */
    public static final int MAX_SIDE = 16_384;

    /** Refuses pictures over {@link #MAX_PIXELS} or {@link #MAX_SIDE}, with advice. */
    public static void checkSize(String name, int w, int h) {
        if (w <= 0 || h <= 0) {
            throw new InpaintException("'" + name + "' declares a size of " + w + "x" + h + ": the file is damaged.");
        }
        long px = (long) w * h;
        if (px > MAX_PIXELS || w > MAX_SIDE || h > MAX_SIDE) {
            double scale = Math.min(Math.sqrt((double) MAX_PIXELS / px), Math.min((double) MAX_SIDE / w, (double) MAX_SIDE / h));
            throw new InpaintException(String.format(java.util.Locale.ROOT, "'%s' is %dx%d (%.0f MP): Inpaint Studio "
                    + "opens pictures up to %d MP and %d px a side. Scale it down first (to %d%%, e.g. "
                    + "'convert in.jpg -resize %d%% out.jpg'); repaint details with only-masked generation.",
                    name, w, h, px / 1e6, MAX_PIXELS / 1_000_000, MAX_SIDE, (int) Math.floor(scale * 100),
                    (int) Math.floor(scale * 100)));
        }
    }

    private static final java.util.regex.Pattern PARTIAL = java.util.regex.Pattern.compile(
            "premature|truncat|end of (file|stream|data)|EOF", java.util.regex.Pattern.CASE_INSENSITIVE);

    private static boolean endsEarly(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.EOFException || t.getMessage() != null && PARTIAL.matcher(t.getMessage()).find()) {
                return true;
            }
        }
        return false;
    }

    private static InpaintException truncated(String name, String detail) {
        return new InpaintException("'" + name + "' is incomplete or damaged (" + detail + "): only part of it could "
                + "be decoded. Open the complete file (a download or copy may have been cut short), or save it again "
                + "from an image editor.");
    }
}
