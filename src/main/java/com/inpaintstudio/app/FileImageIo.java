package com.inpaintstudio.app;

import com.inpaintstudio.image.ImageFiles;
import com.inpaintstudio.image.Mask;
import com.inpaintstudio.image.PngMetadata;
import com.inpaintstudio.image.RgbImage;
import com.inpaintstudio.errors.InpaintException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** The editor's file access through the shared image package (EXIF orientation, alpha masks, PNG text chunks). */
public final class FileImageIo implements ImageIo {
    @Override
    public RgbImage read(Path file) throws IOException {
        try {
            return ImageFiles.readImage(file);
        } catch (InpaintException | java.io.UncheckedIOException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public Mask readMask(Path file) throws IOException {
        try {
            return ImageFiles.readMask(file);
        } catch (InpaintException | java.io.UncheckedIOException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void writePng(Path file, RgbImage image, Map<String, String> textChunks) throws IOException {
        try {
            PngMetadata.write(image, textChunks, file);
        } catch (InpaintException | java.io.UncheckedIOException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
