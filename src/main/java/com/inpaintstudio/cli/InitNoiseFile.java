package com.inpaintstudio.cli;

import com.inpaintstudio.model.SafetensorsFile;
import com.inpaintstudio.model.TensorInfo;
import com.inpaintstudio.pipeline.InpaintException;

import java.nio.file.Path;
import java.util.Arrays;

/** Reads {@code --init-noise}: a safetensors file with one float tensor {@code latents} of shape (1, 4, H/8, W/8). */
final class InitNoiseFile {
    private InitNoiseFile() {}

    static float[] read(Path file) {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            String key = f.contains("latents") ? "latents"
                    : f.tensors().size() == 1 ? f.tensors().keySet().iterator().next() : null;
            if (key == null) {
                throw new InpaintException(file + " has no tensor named 'latents' (it holds " + f.tensors().keySet() + ").");
            }
            TensorInfo info = f.info(key);
            long[] s = info.shape();
            if (s.length != 4 || s[0] != 1 || s[1] != 4) {
                throw new InpaintException("The initial noise in " + file + " has shape " + Arrays.toString(s)
                        + "; it must be (1, 4, H/8, W/8).");
            }
            if (!info.dtype().isFloat()) {
                throw new InpaintException("The initial noise in " + file + " is " + info.dtype() + "; it must be float32.");
            }
            return f.readFloats(key);
        }
    }
}
