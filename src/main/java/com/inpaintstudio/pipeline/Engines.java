package com.inpaintstudio.pipeline;

import com.inpaintstudio.errors.InpaintException;
import com.inpaintstudio.model.ModelFiles;
import com.inpaintstudio.model.ModelFormatException;
import com.inpaintstudio.model.ModelScanner;
import com.inpaintstudio.model.Models;

import java.nio.file.Path;

/** Opens the engine behind a model choice: a Stable Diffusion model path, or the built-in fill. */
public final class Engines {
    private Engines() {}

    /**
     * Loads a diffusers folder or a single-file checkpoint, with the first TAESD found in the models folders that fits
     * it for previews (none found: VAE / linear previews). Problems come back as {@link InpaintException}.
     */
    public static InpaintEngine open(Path modelPath) {
        return open(modelPath, null);
    }

    /**
     * As {@link #open(Path)}; {@code previewModel} (a TAESD folder) is used for previews instead of searching the
     * models folders, and a TAESD that does not fit the model is refused with a clear message.
     */
    public static InpaintEngine open(Path modelPath, Path previewModel) {
        DiffusionEngine engine = openModel(modelPath);
        try {
            PreviewDecoder decoder = previewModel != null ? PreviewDecoder.load(previewModel, engine.model())
                    : PreviewDecoder.findFor(engine.model(), new ModelScanner().scanPreviewDecoders());
            engine.usePreviewDecoder(decoder);
            return engine;
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    private static DiffusionEngine openModel(Path modelPath) {
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
        } catch (InpaintException e) {
            files.close();
            throw e;
        } catch (RuntimeException e) {
            // a config value of the wrong kind (text for a number, ...) found while building the networks
            files.close();
            throw new InpaintException("The model " + modelPath.getFileName() + " could not be built: its config "
                    + "and weights do not fit together (" + e + "). Download or convert the model again.", e);
        }
    }

    /** The classical content-aware fill: works with no model at all. */
    public static InpaintEngine builtInFill() {
        return new ClassicalFillEngine();
    }
}
