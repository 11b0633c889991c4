package com.inpaintstudio.cli;

import com.inpaintstudio.image.PngMetadata;
import com.inpaintstudio.errors.InpaintException;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The A1111 parameters text of {@code --params-from}: a PNG's {@code parameters} chunk, or a UTF-8 text file. */
final class ParamsFile {
    private ParamsFile() {}

    static String read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InpaintException("--params-from: " + file + " does not exist.");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InpaintException("--params-from: cannot read " + file + ": " + e.getMessage(), e);
        }
        if (bytes.length >= 8 && (bytes[0] & 0xff) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G') {
            String text = PngMetadata.readText(bytes).get(PngMetadata.PARAMETERS);
            if (text == null) {
                throw new InpaintException("--params-from: " + file.getFileName() + " has no 'parameters' text; it was"
                        + " not made by A1111 or Inpaint Studio (or the text was stripped when it was shared).");
            }
            return text;
        }
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xFF && (bytes[1] & 0xff) == 0xD8) {
            throw new InpaintException("--params-from: " + file.getFileName() + " is a JPEG; give the PNG, or paste"
                    + " its parameters text (A1111's PNG Info tab shows it) into a text file.");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InpaintException("--params-from: " + file.getFileName() + " is neither a PNG nor UTF-8 text.");
        }
    }
}
