package com.inpaintstudio.app;

import com.inpaintstudio.image.Mask;
import com.inpaintstudio.image.RgbImage;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The default {@link ImageIo}: javax.imageio (PNG, JPEG, BMP, GIF), JPEG EXIF orientation respected, tEXt/iTXt chunks
 * for PNG metadata.
 */
public final class AwtImageIo implements ImageIo {

    @Override
    public RgbImage read(Path file) throws IOException {
        BufferedImage img = decode(file);
        int w = img.getWidth(), h = img.getHeight();
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < argb.length; i++) {
            int a = argb[i] >>> 24;
            int p = argb[i];
            if (a < 255) { // composite transparent pixels over white
                int r = ((p >> 16 & 0xff) * a + 255 * (255 - a)) / 255;
                int g = ((p >> 8 & 0xff) * a + 255 * (255 - a)) / 255;
                int b = ((p & 0xff) * a + 255 * (255 - a)) / 255;
                p = r << 16 | g << 8 | b;
            }
            argb[i] = p & 0xffffff;
        }
        return ExifOrientation.apply(new RgbImage(w, h, argb), ExifOrientation.read(file));
    }

    @Override
    public Mask readMask(Path file) throws IOException {
        BufferedImage img = decode(file);
        int w = img.getWidth(), h = img.getHeight();
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        boolean useAlpha = false;
        if (img.getColorModel().hasAlpha()) {
            for (int p : argb) {
                if (p >>> 24 != 255) {
                    useAlpha = true;
                    break;
                }
            }
        }
        float[] v = new float[w * h];
        for (int i = 0; i < v.length; i++) {
            int p = argb[i];
            v[i] = useAlpha ? (p >>> 24) / 255f
                    : (0.299f * (p >> 16 & 0xff) + 0.587f * (p >> 8 & 0xff) + 0.114f * (p & 0xff)) / 255f;
        }
        return new Mask(w, h, v);
    }

    @Override
    public void writePng(Path file, RgbImage image, Map<String, String> textChunks) throws IOException {
        BufferedImage img = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, image.width(), image.height(), image.rgb(), 0, image.width());
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try {
            ImageWriteParam param = writer.getDefaultWriteParam();
            IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), param);
            if (textChunks != null && !textChunks.isEmpty()) {
                // Latin-1 text as tEXt (what A1111 and most readers look at), anything else as UTF-8 iTXt
                IIOMetadataNode text = new IIOMetadataNode("tEXt");
                IIOMetadataNode itext = new IIOMetadataNode("iTXt");
                java.nio.charset.CharsetEncoder latin1 = java.nio.charset.StandardCharsets.ISO_8859_1.newEncoder();
                for (Map.Entry<String, String> e : textChunks.entrySet()) {
                    if (latin1.canEncode(e.getValue())) {
                        IIOMetadataNode entry = new IIOMetadataNode("tEXtEntry");
                        entry.setAttribute("keyword", e.getKey());
                        entry.setAttribute("value", e.getValue());
                        text.appendChild(entry);
                    } else {
                        IIOMetadataNode entry = new IIOMetadataNode("iTXtEntry");
                        entry.setAttribute("keyword", e.getKey());
                        entry.setAttribute("compressionFlag", "FALSE");
                        entry.setAttribute("compressionMethod", "0");
                        entry.setAttribute("languageTag", "");
                        entry.setAttribute("translatedKeyword", "");
                        entry.setAttribute("text", e.getValue());
                        itext.appendChild(entry);
                    }
                }
                IIOMetadataNode root = new IIOMetadataNode("javax_imageio_png_1.0");
                if (text.hasChildNodes()) {
                    root.appendChild(text);
                }
                if (itext.hasChildNodes()) {
                    root.appendChild(itext);
                }
                meta.mergeTree("javax_imageio_png_1.0", root);
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".part");
            try (ImageOutputStream out = ImageIO.createImageOutputStream(Files.newOutputStream(tmp))) {
                writer.setOutput(out);
                writer.write(null, new IIOImage(img, null, meta), param);
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } finally {
            writer.dispose();
        }
    }

    private static BufferedImage decode(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("'" + file + "' does not exist or is not a file.");
        }
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IOException("'" + file.getFileName() + "' could not be read as an image ("
                    + e.getMessage() + "). Use a PNG, JPEG, BMP or GIF file.", e);
        }
        if (img == null) {
            throw new IOException("'" + file.getFileName() + "' is not an image this program can read. "
                    + "Use a PNG, JPEG, BMP or GIF file.");
        }
        return img;
    }

    /** The tEXt chunks of a PNG (for tests and for reading back parameters). */
    public static Map<String, String> readPngText(Path file) throws IOException {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        try (javax.imageio.stream.ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReaderHolder.read(in, out);
        }
        return out;
    }

    private static final class ImageReaderHolder {
        static void read(javax.imageio.stream.ImageInputStream in, Map<String, String> out) throws IOException {
            javax.imageio.ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
            try {
                reader.setInput(in);
                IIOMetadata meta = reader.getImageMetadata(0);
                org.w3c.dom.Node root = meta.getAsTree("javax_imageio_png_1.0");
                for (org.w3c.dom.Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
                    boolean plain = n.getNodeName().equals("tEXt");
                    if (plain || n.getNodeName().equals("iTXt")) {
                        for (org.w3c.dom.Node e = n.getFirstChild(); e != null; e = e.getNextSibling()) {
                            org.w3c.dom.NamedNodeMap a = e.getAttributes();
                            out.put(a.getNamedItem("keyword").getNodeValue(),
                                    a.getNamedItem(plain ? "value" : "text").getNodeValue());
                        }
                    }
                }
            } finally {
                reader.dispose();
            }
        }
    }
}
