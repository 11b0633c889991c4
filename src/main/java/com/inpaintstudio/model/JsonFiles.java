package com.inpaintstudio.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a JSON object from a file that may be damaged or hostile (configs, saved sessions): bounded size, strict
 * UTF-8, nesting limited by Gson's reader (255 levels; deeper input is a syntax error, not a stack overflow), and
 * every failure a {@link ModelFormatException} naming the file and the problem.
 */
public final class JsonFiles {
    /** Larger than any config or session index Inpaint Studio writes. */
    public static final long DEFAULT_MAX_BYTES = 16L << 20;

    private JsonFiles() {}

    public static JsonObject readObject(Path file, String what) {
        return readObject(file, what, DEFAULT_MAX_BYTES);
    }

    /** The object in {@code file}; {@code what} names it for the user ("the saved session", "unet/config.json"). */
    public static JsonObject readObject(Path file, String what, long maxBytes) {
        String text;
        try {
            long size = Files.size(file);
            if (size > maxBytes) {
                throw new ModelFormatException(what + " (" + file + ") is " + size + " bytes, larger than the "
                        + maxBytes + " such a file can be: it is not the right file or it is damaged.");
            }
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(what + " (" + file + ") does not exist.", e);
        } catch (CharacterCodingException e) {
            throw new ModelFormatException(what + " (" + file + ") is damaged: it is not UTF-8 text.", e);
        } catch (IOException e) {
            throw new ModelFormatException("Could not read " + what + " (" + file + "): " + e.getMessage(), e);
        }
        JsonElement el;
        try {
            el = JsonParser.parseString(text);
        } catch (JsonParseException | StackOverflowError e) {
            throw new ModelFormatException(what + " (" + file + ") is not valid JSON: " + e.getMessage(), e);
        }
        if (!el.isJsonObject()) {
            throw new ModelFormatException(what + " (" + file + ") is damaged: it should hold a JSON object.");
        }
        return el.getAsJsonObject();
    }
}
