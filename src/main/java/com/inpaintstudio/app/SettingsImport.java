package com.inpaintstudio.app;

import com.inpaintstudio.image.PngMetadata;
import com.inpaintstudio.pipeline.InfotextParser;
import com.inpaintstudio.pipeline.InfotextSettings;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A1111's "PNG Info -> Send to inpaint" habit: generation settings from a PNG's {@code parameters} text or from
 * pasted infotext. Text counts as infotext only when its last line holds A1111's {@code Key: value} pairs.
 */
final class SettingsImport {
    private SettingsImport() {}

    /** The settings of a PNG made by A1111 or Inpaint Studio; empty for other files or when it cannot be read. */
    static Optional<InfotextSettings> fromPng(Path file) {
        if (!file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
            return Optional.empty();
        }
        try {
            String text = PngMetadata.read(file).get(PngMetadata.PARAMETERS);
            return text == null ? Optional.empty() : fromText(text);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The settings of infotext; empty when the text has no parameters line (plain text is not taken for it). */
    static Optional<InfotextSettings> fromText(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        Map<String, String> p = InfotextParser.parse(text);
        boolean hasParams = p.containsKey("Steps") || p.containsKey("Sampler") || p.containsKey("Seed");
        return hasParams ? Optional.of(InfotextSettings.from(p)) : Optional.empty();
    }
}
