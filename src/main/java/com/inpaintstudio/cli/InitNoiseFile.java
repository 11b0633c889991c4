package com.inpaintstudio.cli;

import com.inpaintstudio.model.SafetensorsFile;
import com.inpaintstudio.model.TensorInfo;
import com.inpaintstudio.errors.InpaintException;

import java.nio.file.Path;
import java.util.Arrays;

/** Reads {@code --init-noise}: a safetensors file with one float tensor {@code latents} of shape (1, 4, H/8, W/8). */
final class InitNoiseFile {
    private InitNoiseFile() {}

    /** The noise and the picture size its shape stands for (8 pixels per latent cell). */
    record Noise(float[] values, int width, int height) {
        /** Refuses noise made for another size than {@code w x h}. */
        void checkSize(Path file, int w, int h) {
            if (w != width || h != height) {
                throw new InpaintException("The initial noise in " + file + " has shape (1, 4, " + height / 8 + ", "
                        + width / 8 + "), for a " + width + "x" + height + " picture; " + w + "x" + h + " needs (1, 4, "
                        + h / 8 + ", " + w / 8 + "). Drop --width/--height to use the noise's size.");
            }
        }
    }

    static Noise read(Path file) {
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
            return new Noise(f.readFloats(key), (int) s[3] * 8, (int) s[2] * 8);
        }
    }
}
