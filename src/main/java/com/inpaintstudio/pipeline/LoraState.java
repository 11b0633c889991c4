package com.inpaintstudio.pipeline;

import ai.djl.ndarray.NDManager;
import com.inpaintstudio.model.ParamSlot;
import com.inpaintstudio.model.lora.LoraFile;
import com.inpaintstudio.model.lora.LoraMerger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The LoRAs merged into one model now: opens LoRA files once (kept mapped while the model lives), and re-merges only
 * when the requested set or a strength changes. Merges are always computed from the original weights.
 */
final class LoraState implements AutoCloseable {
    /** A LoRA merged into the model. */
    public record Applied(String name, double strength, String shortHash, int rank) {
    }

    private record Key(Path file, long modified, long size, double strength) {
    }

    private final LoraMerger.Target target;
    private final NDManager weights;
    private final Map<Path, LoraFile> open = new HashMap<>();
    private final Map<Path, Key> fileKeys = new HashMap<>();
    private List<Key> current = List.of();
    private List<Applied> applied = List.of();

    LoraState(String modelName, int crossAttentionDim, Map<String, ParamSlot> unet, Map<String, ParamSlot> text,
              NDManager weights) {
        this.target = new LoraMerger.Target(modelName, crossAttentionDim, unet, text);
        this.weights = weights;
    }

    Map<String, long[]> unetShapes() {
        Map<String, long[]> out = new java.util.LinkedHashMap<>();
        target.unet().forEach((k, slot) -> out.put(k, slot.original().getShape().getShape()));
        return out;
    }

    synchronized List<Applied> apply(List<LoraSpec> specs) {
        List<LoraSpec> wanted = specs == null ? List.of() : specs.stream().filter(s -> s.strength() != 0).toList();
        List<Key> keys = new ArrayList<>();
        for (LoraSpec s : wanted) {
            Path p = s.file().toAbsolutePath().normalize();
            long modified = -1;
            long size = -1;
            try {
                modified = Files.getLastModifiedTime(p).toMillis();
                size = Files.size(p);
            } catch (java.io.IOException e) {
                // LoraFile.open reports the missing file below
            }
            keys.add(new Key(p, modified, size, s.strength()));
        }
        if (keys.equals(current)) {
            return applied;
        }
        List<LoraMerger.Active> active = new ArrayList<>();
        List<Applied> now = new ArrayList<>();
        for (int i = 0; i < wanted.size(); i++) {
            Key k = keys.get(i);
            LoraFile f = file(k);
            active.add(new LoraMerger.Active(f, k.strength()));
            now.add(new Applied(wanted.get(i).name(), k.strength(), f.shortHash(), f.rank()));
        }
        LoraMerger.apply(active, target, weights);
        current = List.copyOf(keys);
        applied = List.copyOf(now);
        return applied;
    }

    private LoraFile file(Key k) {
        LoraFile f = open.get(k.file());
        Key known = f == null ? null : fileKeys.get(k.file());
        if (f != null && (known == null || known.modified() != k.modified() || known.size() != k.size())) {
            f.close(); // the file changed on disk
            open.remove(k.file());
            f = null;
        }
        if (f == null) {
            f = LoraFile.open(k.file());
            open.put(k.file(), f);
            fileKeys.put(k.file(), k);
        }
        return f;
    }

    @Override
    public synchronized void close() {
        open.values().forEach(LoraFile::close);
        open.clear();
        current = List.of();
        applied = List.of();
    }
}
