package com.inpaintstudio.model.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.inpaintstudio.model.ModelFamily;
import com.inpaintstudio.model.ModelFormatException;
import com.inpaintstudio.model.ParamSlot;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges LoRAs into a model's weight slots: {@code W' = W + sum_i strength_i * (alpha_i / rank_i) * up_i @ down_i}
 * (convolutions: {@code up (out, r, 1, 1)} and {@code down (r, in, k, k)} as matrices, the product reshaped to
 * {@code (out, in, k, k)}). Each merged weight is computed from the slot's untouched original in float32 and stored
 * in the original's dtype (fp16 stays fp16); slots no LoRA touches serve their original again. So removing a LoRA or
 * changing its strength gives back exactly the original weights, and only the touched weights ever get a second
 * (merged) array, never the whole model.
 */
public final class LoraMerger {
    /** One LoRA and its strength. */
    public record Active(LoraFile lora, double strength) {
    }

    /** The model side: its slots per component and what it is, for error messages. */
    public record Target(String modelName, int crossAttentionDim, Map<String, ParamSlot> unet,
                         Map<String, ParamSlot> textEncoder) {
    }

    private LoraMerger() {}

    /**
     * Makes the slots of {@code model} serve exactly the merge of {@code loras} (empty = the originals). Everything is
     * checked before any slot changes, so a bad LoRA leaves the model as it was.
     */
    public static void apply(List<Active> loras, Target model, NDManager weights) {
        Map<ParamSlot, List<Contribution>> plan = plan(loras, model);
        for (Map<String, ParamSlot> slots : List.of(model.unet(), model.textEncoder())) {
            for (ParamSlot slot : slots.values()) {
                List<Contribution> cs = plan.get(slot);
                if (cs == null) {
                    if (slot.isReplaced()) {
                        slot.restore();
                    }
                } else {
                    slot.replace(merge(slot, cs, weights));
                }
            }
        }
    }

    private record Contribution(LoraFile lora, LoraFile.Module module, float scale) {
    }

    private static Map<ParamSlot, List<Contribution>> plan(List<Active> loras, Target model) {
        Map<ParamSlot, List<Contribution>> plan = new IdentityHashMap<>();
        for (Active a : loras) {
            LoraFile lora = a.lora();
            checkFamily(lora, model);
            Set<String> unmatched = new LinkedHashSet<>();
            List<Contribution> found = new ArrayList<>();
            for (LoraFile.Module m : lora.modules()) {
                Map<String, ParamSlot> slots = switch (m.target().component()) {
                    case UNET -> model.unet();
                    case TEXT_ENCODER -> model.textEncoder();
                    case TEXT_ENCODER_2 -> Map.of();
                };
                ParamSlot slot = slots.get(m.target().weightKey());
                if (slot == null) {
                    unmatched.add(m.name());
                    continue;
                }
                checkShape(lora, m, slot);
                found.add(new Contribution(lora, m, (float) (a.strength() * m.alpha() / m.rank())));
                plan.computeIfAbsent(slot, s -> new ArrayList<>());
            }
            if (!unmatched.isEmpty()) {
                throw new ModelFormatException("LoRA '" + lora.name() + "': " + unmatched.size() + " of its "
                        + lora.modules().size() + " modules match no layer of model '" + model.modelName() + "': "
                        + LoraFile.list(unmatched) + ".");
            }
            for (Contribution c : found) {
                ParamSlot slot = (c.module().target().component() == LoraKeys.Component.UNET ? model.unet()
                        : model.textEncoder()).get(c.module().target().weightKey());
                plan.get(slot).add(c);
            }
        }
        return plan;
    }

    private static void checkFamily(LoraFile lora, Target model) {
        ModelFamily modelFamily = ModelFamily.fromCrossAttentionDim(model.crossAttentionDim());
        int cross = lora.crossAttentionDim();
        ModelFamily loraFamily = lora.family();
        // SD-1.x/2.x: the text encoder's width is the UNet's cross-attention width (768 / 1024)
        int text = lora.textHiddenDim();
        boolean mismatch = loraFamily == ModelFamily.SDXL && modelFamily != ModelFamily.SDXL
                || cross > 0 && cross != model.crossAttentionDim()
                || cross <= 0 && text > 0 && modelFamily != ModelFamily.SDXL && text != model.crossAttentionDim();
        if (cross <= 0) {
            cross = text;
        }
        if (mismatch) {
            throw new ModelFormatException("LoRA '" + lora.name() + "' was made for " + describe(loraFamily, cross)
                    + " but model '" + model.modelName() + "' is " + describe(modelFamily, model.crossAttentionDim())
                    + "; use a LoRA trained for " + modelFamily.label() + ".");
        }
    }

    private static String describe(ModelFamily f, int cross) {
        String w = cross > 0 ? " (text width " + cross + ")" : "";
        return (f == ModelFamily.UNKNOWN ? "another model" : f.label()) + w;
    }

    private static void checkShape(LoraFile lora, LoraFile.Module m, ParamSlot slot) {
        long[] w = slot.original().getShape().getShape();
        long out = w[0];
        long inTimesK = 1;
        for (int i = 1; i < w.length; i++) {
            inTimesK *= w[i];
        }
        long downCols = 1;
        for (int i = 1; i < m.downShape().length; i++) {
            downCols *= m.downShape()[i];
        }
        long upCols = 1;
        for (int i = 1; i < m.upShape().length; i++) {
            upCols *= m.upShape()[i];
        }
        boolean ok = m.upShape()[0] == out && upCols == m.rank() && downCols == inTimesK
                && (m.downShape().length == 2 || w.length == m.downShape().length);
        if (!ok) {
            throw new ModelFormatException("LoRA '" + lora.name() + "': '" + m.downKey() + "' " + LoraFile.shape(m.downShape())
                    + " with '" + m.upKey() + "' " + LoraFile.shape(m.upShape()) + " does not fit the model's "
                    + slot.key() + " " + LoraFile.shape(w) + "; the LoRA was made for another model.");
        }
    }

    private static NDArray merge(ParamSlot slot, List<Contribution> cs, NDManager weights) {
        NDArray original = slot.original();
        try (NDManager scope = weights.newSubManager()) {
            // a fresh float32 array: DJL's toType(sameType, copy=true) aliases the (read-only, mapped) storage
            NDArray w = original.getDataType() == DataType.FLOAT32 ? original.duplicate()
                    : original.toType(DataType.FLOAT32, false);
            w.attach(scope);
            long out = original.getShape().get(0);
            for (Contribution c : cs) {
                NDArray[] du = c.lora().load(c.module(), scope);
                int r = c.module().rank();
                NDArray delta = du[1].reshape(out, r).matMul(du[0].reshape(r, -1)).reshape(original.getShape());
                w.addi(delta.muli(c.scale()));
            }
            NDArray merged = original.getDataType() == DataType.FLOAT32 ? w : w.toType(original.getDataType(), false);
            merged.attach(weights);
            return merged;
        }
    }
}
