package com.inpaintstudio.model;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/** Recognises PyTorch pickle checkpoints by name and refuses them: unpickling runs arbitrary code. Nothing is read. */
public final class PickleFiles {
    private static final Set<String> EXTENSIONS = Set.of(".ckpt", ".pt", ".pth", ".bin", ".pkl");

    private PickleFiles() {}

    public static boolean isPickle(Path file) {
        String n = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(n::endsWith);
    }

    /** The refusal, naming the file and how to convert it. */
    public static ModelFormatException refusal(Path file) {
        return new ModelFormatException("Refusing to open " + file.getFileName() + ": it is a PyTorch pickle file"
                + " (.ckpt/.pt/.pth/.bin), and loading a pickle can execute any code hidden in it. Nothing was loaded."
                + " Get the .safetensors version of the model instead (most model pages offer one), or convert this"
                + " file once on a machine you trust with the official tools, e.g. diffusers'"
                + " scripts/convert_original_stable_diffusion_to_diffusers.py --checkpoint_path " + file.getFileName()
                + " --to_safetensors --dump_path models/<name> (a diffusers folder), then put the result in models/.");
    }
}
