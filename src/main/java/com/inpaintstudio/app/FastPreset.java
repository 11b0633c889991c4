package com.inpaintstudio.app;

import com.inpaintstudio.model.lora.FastLora;
import com.inpaintstudio.scheduler.SchedulerCatalog;
import com.inpaintstudio.scheduler.SchedulerInfo;

import java.util.Locale;

/**
 * The fast preset of LCM/TCD LoRAs: switching one on proposes its scheduler's usual settings (6 steps, guidance 1,
 * LCM or TCD, from {@link SchedulerCatalog}) in the {@link FastPresetBar}; Apply sets them and offers Undo; switching
 * the last such LoRA off offers to restore what was there before. Nothing is changed without the user's click.
 */
final class FastPreset {
    /** The three settings the preset touches; {@code scheduler} as the panel's scheduler box holds it. */
    record Settings(int steps, double guidance, String scheduler) {
        String describe() {
            SchedulerInfo i = SchedulerCatalog.find(scheduler);
            String sch = i == null ? "the model's scheduler" : i.a1111Sampler();
            return steps + " steps, guidance " + number(guidance) + ", " + sch;
        }
    }

    private final SidePanel panel;
    private final FastPresetBar bar;
    /** The settings before Apply; null while the preset is not applied (or was kept on purpose). */
    private Settings before;

    FastPreset(SidePanel panel, FastPresetBar bar) {
        this.panel = panel;
        this.bar = bar;
    }

    /** The preset for a few-step LoRA. */
    static Settings of(FastLora kind) {
        SchedulerInfo i = SchedulerCatalog.find(kind.scheduler());
        return i == null ? new Settings(6, 1.0, SidePanel.MODEL_DEFAULT)
                : new Settings(i.suggestedSteps(), i.suggestedGuidance(), i.name());
    }

    Settings current() {
        return new Settings(panel.steps.getValue(), panel.guidance.getValue(), panel.scheduler.getValue());
    }

    /**
     * A few-step LoRA was switched on or off; {@code stillOn} is another few-step LoRA that is still on (or null).
     */
    void switched(String loraName, FastLora kind, boolean on, FastLora stillOn) {
        if (on) {
            Settings fast = of(kind);
            if (current().equals(fast)) {
                bar.hide();
                return;
            }
            bar.ask(kind.label() + " LoRA on (" + loraName + "): use fast settings (" + fast.describe() + ")?",
                    "Apply", () -> apply(fast), "Dismiss", () -> { });
        } else if (stillOn == null) {
            if (before == null) {
                bar.hide(); // the proposal for this LoRA no longer applies
                return;
            }
            Settings back = before;
            bar.ask(kind.label() + " LoRA off: go back to " + back.describe() + "?", "Restore",
                    () -> restore(back), "Keep", () -> before = null);
        }
    }

    private void apply(Settings fast) {
        Settings now = current();
        if (before == null) {
            before = now;
        }
        set(fast);
        Settings was = before;
        bar.ask("Fast settings on: " + fast.describe() + " (were " + was.describe() + ").", "Undo",
                () -> restore(was), "OK", () -> { });
    }

    private void restore(Settings s) {
        set(s);
        before = null;
    }

    private void set(Settings s) {
        panel.steps.getValueFactory().setValue(s.steps());
        panel.guidance.getValueFactory().setValue(s.guidance());
        panel.scheduler.getSelectionModel().select(SidePanel.SCHEDULERS.contains(s.scheduler()) ? s.scheduler()
                : SidePanel.MODEL_DEFAULT);
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
