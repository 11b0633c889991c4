package com.inpaintstudio.app;

import com.inpaintstudio.tensor.ComputeOptions;
import com.inpaintstudio.tensor.CpuFeatures;
import com.inpaintstudio.tensor.Precision;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.ToggleGroup;

import java.util.EnumMap;
import java.util.Map;
import java.util.prefs.Preferences;

/**
 * The Speed menu: the precision the UNet and VAE compute in (Auto, bf16, fp32) and whether libtorch's fused kernels
 * are used, the editor's side of {@code --precision} and {@code --fused-ops}. Remembered in the settings; every
 * generation's request carries the choice ({@link #options()}), nothing global is changed.
 */
final class SpeedController {
    static final String PRECISION_KEY = "compute.precision";
    static final String FUSED_KEY = "compute.fusedOps";

    private final Preferences prefs;
    final Menu menu = new Menu("Speed");
    final Map<Precision, RadioMenuItem> precisionItems = new EnumMap<>(Precision.class);
    final CheckMenuItem fused = new CheckMenuItem("Fused libtorch kernels (attention, norms)");

    SpeedController(Preferences prefs) {
        this.prefs = prefs;
        boolean nativeBf16 = CpuFeatures.host().nativeBf16();
        MenuItem title = new MenuItem("Precision of the UNet and VAE");
        title.setDisable(true);
        ToggleGroup group = new ToggleGroup();
        precisionItems.put(Precision.AUTO, new RadioMenuItem(nativeBf16
                ? "Auto (bf16 where measured faster: this CPU has native bf16)"
                : "Auto (fp32 here: this CPU has no native bf16)"));
        precisionItems.put(Precision.BF16, new RadioMenuItem(nativeBf16
                ? "bf16 (faster, PSNR ~40 dB vs fp32)"
                : "bf16 (much slower on this CPU; PSNR ~40 dB vs fp32)"));
        precisionItems.put(Precision.FP32, new RadioMenuItem("fp32 (reference arithmetic)"));
        Precision saved = savedPrecision();
        precisionItems.forEach((p, item) -> {
            item.setToggleGroup(group);
            item.setSelected(p == saved);
            item.selectedProperty().addListener((o, was, now) -> {
                if (now) {
                    prefs.put(PRECISION_KEY, p.label());
                }
            });
        });
        fused.setSelected(prefs.getBoolean(FUSED_KEY, true));
        fused.selectedProperty().addListener((o, was, now) -> prefs.putBoolean(FUSED_KEY, now));
        menu.getItems().addAll(title, precisionItems.get(Precision.AUTO), precisionItems.get(Precision.BF16),
                precisionItems.get(Precision.FP32), new SeparatorMenuItem(), fused);
    }

    private Precision savedPrecision() {
        try {
            return Precision.parse(prefs.get(PRECISION_KEY, Precision.AUTO.label()));
        } catch (IllegalArgumentException e) {
            return Precision.AUTO; // a settings file from elsewhere: fall back to the default
        }
    }

    /** The choice for the next generation's request. */
    ComputeOptions options() {
        Precision p = precisionItems.entrySet().stream().filter(e -> e.getValue().isSelected()).map(Map.Entry::getKey)
                .findFirst().orElse(Precision.AUTO);
        return new ComputeOptions(p, fused.isSelected());
    }
}
