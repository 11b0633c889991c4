package com.inpaintstudio.app;

import com.inpaintstudio.pipeline.InpaintEngine;
import com.inpaintstudio.errors.InpaintException;

/** Opens the engine behind a model choice. Loading takes seconds: the editor calls it off the FX thread. */
@FunctionalInterface
public interface EngineProvider {
    InpaintEngine open(ModelChoice choice) throws InpaintException;
}
