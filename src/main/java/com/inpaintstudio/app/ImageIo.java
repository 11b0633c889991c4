package com.inpaintstudio.app;

import com.inpaintstudio.image.Mask;
import com.inpaintstudio.image.RgbImage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Reading photos and masks, writing PNGs with text metadata. Failures carry a message for the user. */
public interface ImageIo {
    RgbImage read(Path file) throws IOException;

    /** A mask from a picture: its alpha channel where it has one that is not fully opaque, else its luminance. */
    Mask readMask(Path file) throws IOException;

    void writePng(Path file, RgbImage image, Map<String, String> textChunks) throws IOException;
}
