package com.inpaintstudio.pipeline;

import com.inpaintstudio.errors.InpaintException;
import com.inpaintstudio.model.ModelFiles;
import com.inpaintstudio.model.ModelFormatException;
import com.inpaintstudio.model.Models;

import java.nio.file.Path;

/** Opens the engine behind a model choice: a Stable Diffusion model path, or the built-in fill. */
public final class Engines {
    private Engines() {}

    /** Loads a diffusers folder or a single-file checkpoint. Problems come back as {@link InpaintException}. */
    public static InpaintEngine open(Path modelPath) {
        ModelFiles files;
        try {
            files = Models.open(modelPath);
        } catch (ModelFormatException e) {
            throw new InpaintException(e.getMessage(), e);
        }
        try {
            return DiffusionEngine.open(files);
        } catch (ModelFormatException e) {
            files.close();
            throw new InpaintException(e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            files.close();
            throw InpaintException.outOfMemory("loading " + modelPath.getFileName(), e);
        } catch (RuntimeException e) {
            files.close();
            throw e;
        }
    }

    /** The classical content-aware fill: works with no model at all. */
    public static InpaintEngine builtInFill() {
        return new ClassicalFillEngine();
    }
}
