package com.inpaintstudio.app;

import java.nio.file.Path;

/**
 * An entry of the model picker.
 *
 * @param name what the picker shows
 * @param path the diffusers folder or single checkpoint file; null for the built-in fill
 * @param kind what {@code path} is
 */
public record ModelChoice(String name, Path path, Kind kind) {
    public enum Kind { BUILT_IN_FILL, DIFFUSERS_FOLDER, SINGLE_FILE }

    /** The classical fill that needs no model files. */
    public static final ModelChoice BUILT_IN_FILL = new ModelChoice("Built-in fill (no model)", null, Kind.BUILT_IN_FILL);

    /** A choice for a folder or file the user picked: a directory is a diffusers folder, a file a single checkpoint. */
    public static ModelChoice of(Path p) {
        Path name = p.getFileName();
        return new ModelChoice(name == null ? p.toString() : name.toString(), p,
                java.nio.file.Files.isDirectory(p) ? Kind.DIFFUSERS_FOLDER : Kind.SINGLE_FILE);
    }

    /** Key stored in the preferences. */
    public String key() {
        return kind == Kind.BUILT_IN_FILL ? "builtin:fill" : path.toAbsolutePath().toString();
    }

    @Override
    public String toString() {
        return name;
    }
}
