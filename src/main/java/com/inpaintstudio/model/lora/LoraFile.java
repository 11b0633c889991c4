package com.inpaintstudio.model.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.inpaintstudio.model.FileDigests;
import com.inpaintstudio.model.ModelFamily;
import com.inpaintstudio.model.ModelFormatException;
import com.inpaintstudio.model.PickleFiles;
import com.inpaintstudio.model.SafetensorsFile;
import com.inpaintstudio.model.TensorInfo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A LoRA {@code .safetensors} file in kohya/A1111 layout ({@code lora_unet_*.lora_down.weight}, {@code .lora_up.weight},
 * {@code .alpha}; {@code lora_te_*}) or diffusers/PEFT layout ({@code unet.*.lora_A.weight}, {@code .lora_B.weight},
 * {@code text_encoder.*}). The file stays memory-mapped; tensors are read when merged. Every tensor must belong to a
 * LoRA module: anything else is an error that lists it.
 */
public final class LoraFile implements AutoCloseable {
    /** One low-rank pair: {@code W += scale * up @ down}, {@code scale = strength * alpha / rank}. */
    public record Module(String name, LoraKeys.Target target, String downKey, String upKey, long[] downShape,
                         long[] upShape, double alpha) {
        public int rank() {
            return (int) downShape[0];
        }
    }

    private final Path path;
    private final SafetensorsFile file;
    private final List<Module> modules;
    private String shortHash;

    private LoraFile(Path path, SafetensorsFile file, List<Module> modules) {
        this.path = path;
        this.file = file;
        this.modules = List.copyOf(modules);
    }

    /** Opens and checks a LoRA file; pickle files are refused unopened. One-line {@link ModelFormatException}s. */
    public static LoraFile open(Path path) {
        if (PickleFiles.isPickle(path)) {
            throw new ModelFormatException("Refusing to open LoRA " + path.getFileName() + ": it is a PyTorch pickle file"
                    + " (.pt/.ckpt/.bin), and loading a pickle can execute any code hidden in it. Nothing was read."
                    + " Get the .safetensors version of this LoRA instead.");
        }
        if (!Files.isRegularFile(path)) {
            throw new ModelFormatException("LoRA file not found: " + path);
        }
        if (!path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".safetensors")) {
            throw new ModelFormatException(path.getFileName() + " is not a LoRA Inpaint Studio can read: give a "
                    + ".safetensors LoRA file.");
        }
        SafetensorsFile f;
        try {
            f = SafetensorsFile.open(path);
        } catch (ModelFormatException e) {
            throw new ModelFormatException("LoRA " + path.getFileName() + " is not a readable safetensors file: "
                    + e.getMessage(), e);
        }
        try {
            return new LoraFile(path, f, parse(path, f));
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    private static List<Module> parse(Path path, SafetensorsFile f) {
        Map<String, TensorInfo> all = f.tensors();
        Set<String> left = new LinkedHashSet<>(all.keySet());
        List<Module> out = new ArrayList<>();
        for (String key : all.keySet()) {
            String base;
            String upKey;
            String alphaKey;
            LoraKeys.Target target;
            if (key.endsWith(".lora_down.weight")) {
                base = key.substring(0, key.length() - ".lora_down.weight".length());
                upKey = base + ".lora_up.weight";
                alphaKey = base + ".alpha";
                target = LoraKeys.fromKohya(base);
            } else if (key.endsWith(".lora_A.weight")) {
                base = key.substring(0, key.length() - ".lora_A.weight".length());
                upKey = base + ".lora_B.weight";
                alphaKey = base + ".alpha";
                target = LoraKeys.fromPeft(base);
            } else {
                continue;
            }
            if (target == null || !all.containsKey(upKey)) {
                continue; // stays in 'left' and is reported below
            }
            TensorInfo down = all.get(key);
            TensorInfo up = all.get(upKey);
            if (down.shape().length < 2 || up.shape().length < 2 || up.shape()[1] != down.shape()[0]) {
                throw new ModelFormatException("LoRA " + path.getFileName() + ": '" + key + "' " + shape(down.shape())
                        + " and '" + upKey + "' " + shape(up.shape()) + " are not a low-rank pair (up's second "
                        + "dimension must equal down's first, the rank); the file is broken.");
            }
            double alpha = down.shape()[0];
            if (all.containsKey(alphaKey)) {
                float[] a = f.readFloats(alphaKey);
                if (a.length != 1) {
                    throw new ModelFormatException("LoRA " + path.getFileName() + ": '" + alphaKey + "' should be one "
                            + "number but has " + a.length + " values; the file is broken.");
                }
                alpha = a[0];
                left.remove(alphaKey);
            }
            left.remove(key);
            left.remove(upKey);
            out.add(new Module(base, target, key, upKey, down.shape(), up.shape(), alpha));
        }
        if (out.isEmpty()) {
            throw new ModelFormatException(path.getFileName() + " is not a LoRA: " + whatItIs(all.keySet())
                    + " (a LoRA holds lora_down/lora_up or lora_A/lora_B weight pairs).");
        }
        if (!left.isEmpty()) {
            throw new ModelFormatException("LoRA " + path.getFileName() + " has " + left.size() + " tensor(s) that "
                    + "match no LoRA module Inpaint Studio can apply (LoHa/LoKr/DoRA or another layout?): "
                    + list(left) + ".");
        }
        return out;
    }

    private static String whatItIs(Set<String> keys) {
        if (keys.isEmpty()) {
            return "it holds no tensors";
        }
        boolean checkpoint = keys.stream().anyMatch(k -> k.startsWith("model.diffusion_model.") || k.equals("conv_in.weight")
                || k.startsWith("first_stage_model.") || k.startsWith("encoder.down_blocks."));
        if (checkpoint) {
            return "it is a model checkpoint (" + keys.size() + " tensors, e.g. '" + keys.iterator().next()
                    + "'); put it into models/, not models/loras/";
        }
        boolean embedding = keys.contains("emb_params") || keys.contains("clip_l") || keys.contains("clip_g")
                || keys.stream().anyMatch(k -> k.startsWith("string_to_param"));
        if (embedding) {
            return "it is a textual-inversion embedding, not a LoRA";
        }
        return "it holds " + keys.size() + " tensor(s) such as " + list(keys);
    }

    static String list(Set<String> keys) {
        List<String> shown = keys.stream().limit(8).map(k -> "'" + k + "'").toList();
        return String.join(", ", shown) + (keys.size() > shown.size() ? " and " + (keys.size() - shown.size()) + " more" : "");
    }

    static String shape(long[] s) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < s.length; i++) {
            b.append(i == 0 ? "" : ", ").append(s[i]);
        }
        return b.append(')').toString();
    }

    /** File name without {@code .safetensors}: what {@code <lora:NAME:w>} and {@code models/loras/NAME} use. */
    public String name() {
        String n = path.getFileName().toString();
        return n.substring(0, n.length() - ".safetensors".length());
    }

    public Path path() {
        return path;
    }

    public List<Module> modules() {
        return modules;
    }

    /** The file's {@code __metadata__} strings (kohya's {@code ss_*}, {@code modelspec.*}); empty when it has none. */
    public Map<String, String> metadata() {
        return file.metadata() == null ? Map.of() : file.metadata();
    }

    /** The largest rank among the modules. */
    public int rank() {
        return modules.stream().mapToInt(Module::rank).max().orElse(0);
    }

    /** Width of the text embeddings the UNet part expects (from attn2.to_k/to_v), or -1 when it has none. */
    public int crossAttentionDim() {
        for (Module m : modules) {
            if (m.target().component() == LoraKeys.Component.UNET
                    && (m.target().module().endsWith("attn2.to_k") || m.target().module().endsWith("attn2.to_v"))) {
                long in = 1;
                for (int i = 1; i < m.downShape().length; i++) {
                    in *= m.downShape()[i];
                }
                return (int) in;
            }
        }
        return -1;
    }

    /** Width of the text encoder it was made for (from q_proj), or -1 when it has no text-encoder part. */
    public int textHiddenDim() {
        for (Module m : modules) {
            if (m.target().component() == LoraKeys.Component.TEXT_ENCODER && m.target().module().endsWith("q_proj")) {
                return (int) m.downShape()[1];
            }
        }
        return -1;
    }

    /** The base model family it was made for, judged by key sets and shapes. */
    public ModelFamily family() {
        if (modules.stream().anyMatch(m -> m.target().component() == LoraKeys.Component.TEXT_ENCODER_2)) {
            return ModelFamily.SDXL;
        }
        int cross = crossAttentionDim();
        if (cross > 0) {
            return cross == 768 ? ModelFamily.SD1 : cross == 1024 ? ModelFamily.SD2 : cross == 2048 ? ModelFamily.SDXL
                    : ModelFamily.UNKNOWN;
        }
        int text = textHiddenDim();
        return text == 768 ? ModelFamily.SD1 : text == 1024 ? ModelFamily.SD2 : ModelFamily.UNKNOWN;
    }

    /** {@code down} and {@code up} of {@code m} as float32 arrays in {@code manager}. */
    NDArray[] load(Module m, NDManager manager) {
        return new NDArray[] {file.load(m.downKey(), manager), file.load(m.upKey(), manager)};
    }

    /**
     * First 12 hex digits of the SHA-256 of the tensor data (the bytes after the header), as A1111 computes a LoRA's
     * hash for {@code Lora hashes} ("addnet" hash of a safetensors file).
     */
    public synchronized String shortHash() {
        if (shortHash == null) {
            shortHash = addnetHash(path).substring(0, 12);
        }
        return shortHash;
    }

    static String addnetHash(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            while (len.hasRemaining() && ch.read(len) >= 0) {
                // read the 8-byte header length
            }
            long offset = 8 + len.flip().getLong();
            ch.position(offset);
            try (InputStream in = java.nio.channels.Channels.newInputStream(ch)) {
                return FileDigests.hex(in, "SHA-256", null);
            }
        } catch (IOException e) {
            throw new ModelFormatException("Cannot read LoRA " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        file.close();
    }

    /** Module count per component, for listings. */
    public Map<String, Integer> moduleCounts() {
        Map<String, Integer> c = new LinkedHashMap<>();
        for (Module m : modules) {
            c.merge(m.target().component().name().toLowerCase(Locale.ROOT), 1, Integer::sum);
        }
        return c;
    }
}
