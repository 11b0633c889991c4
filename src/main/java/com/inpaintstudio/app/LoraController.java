package com.inpaintstudio.app;

import com.inpaintstudio.model.ModelFamily;
import com.inpaintstudio.model.ModelScanner;
import com.inpaintstudio.model.lora.FastLora;
import com.inpaintstudio.model.lora.LoraInfo;
import com.inpaintstudio.model.lora.LoraLibrary;
import com.inpaintstudio.text.ExtraNetworks;
import com.inpaintstudio.text.LoraTag;
import javafx.application.Platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fills the side panel's {@link LoraListView} from the {@code loras} folders of the chosen model
 * ({@link LoraLibrary#forModel}, the folders the CLI and the engine use) on a worker thread: when the editor starts,
 * when another model is chosen and whenever the window gets the focus back (as the model picker rescans). Headers are
 * read once per file version. Reacts to the user's ticks: a broken file is refused in the error bar, an LCM/TCD LoRA
 * gets the {@link FastPreset} proposal, and rows named by {@code <lora:...>} tags in the prompt are marked.
 */
final class LoraController {
    private record Cached(long modified, long size, LoraInfo info) {
    }

    private final EditorContext ctx;
    final LoraListView view;
    final FastPreset fast;
    private final Map<Path, Cached> cache = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    /** The chosen model's family as its files say (null: unknown or none chosen), for the warning on ticking. */
    private ModelFamily modelFamily;

    LoraController(EditorContext ctx) {
        this.ctx = ctx;
        this.view = ctx.panel.loras;
        this.fast = new FastPreset(ctx.panel, view.fastBar);
        view.setOnToggle(this::toggled);
        ctx.panel.prompt.textProperty().addListener((o, a, b) -> markPromptTags());
        ctx.panel.model.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> rescan());
        ctx.stage.focusedProperty().addListener((o, was, now) -> {
            if (now) {
                rescan();
            }
        });
    }

    /** Lists the LoRA folders again on a worker; the newest scan wins. */
    CompletableFuture<Void> rescan() {
        long id = generation.incrementAndGet();
        ModelChoice m = ctx.panel.model.getSelectionModel().getSelectedItem();
        Path model = m == null ? null : m.path();
        return CompletableFuture.supplyAsync(() -> scan(model), ctx.workers).thenAccept(found -> Platform.runLater(() -> {
            if (id == generation.get()) {
                show(found);
            }
        }));
    }

    private record Found(List<LoraInfo> infos, List<Path> folders, ModelFamily modelFamily) {
    }

    private Found scan(Path model) {
        LoraLibrary library = LoraLibrary.forModel(model);
        List<LoraInfo> infos = new ArrayList<>();
        for (Path f : library.list()) {
            infos.add(info(f));
        }
        List<Path> folders = library.folders();
        List<Path> existing = folders.stream().filter(Files::isDirectory).toList();
        List<Path> named = new ArrayList<>(existing);
        folders.stream().filter(p -> !existing.contains(p)).forEach(named::add);
        ModelFamily family = null;
        if (model != null) {
            try {
                family = ModelScanner.inspect(model).family(); // configs or a header: cheap
            } catch (RuntimeException e) {
                // an unreadable model: loading it reports the problem
            }
        }
        return new Found(infos, named, family);
    }

    /** The header of {@code f}, read again only when the file changed. */
    private LoraInfo info(Path f) {
        long modified;
        long size;
        try {
            modified = Files.getLastModifiedTime(f).toMillis();
            size = Files.size(f);
        } catch (IOException e) {
            return LoraInfo.read(f); // gone meanwhile: read() says so
        }
        Cached c = cache.get(f);
        if (c == null || c.modified() != modified || c.size() != size) {
            c = new Cached(modified, size, LoraInfo.read(f));
            cache.put(f, c);
        }
        return c.info();
    }

    private void show(Found found) {
        modelFamily = found.modelFamily() == ModelFamily.UNKNOWN ? null : found.modelFamily();
        List<LoraInfo> shown = view.rows().stream().map(r -> r.info).toList();
        if (!shown.equals(found.infos()) || shown.isEmpty()) {
            view.setEntries(found.infos(), found.folders());
        }
        markPromptTags();
    }

    private void toggled(LoraListView.Row r) {
        boolean on = r.on.isSelected();
        if (on && !r.info.usable()) {
            r.on.setSelected(false);
            // the bar has one line: the file's full path (in the row's tooltip) would push the reason out of sight
            ctx.notifier.error(r.info.problem().replace(" (" + r.info.file() + ")", "").replace(r.info.file().toString(),
                    r.info.file().getFileName().toString()));
            return;
        }
        if (on && modelFamily != null && r.info.family() != ModelFamily.UNKNOWN && r.info.family() != modelFamily) {
            ctx.notifier.error("LoRA " + r.info.name() + " was made for " + r.info.family().label() + " but the chosen"
                    + " model is " + modelFamily.label() + ": generating with it will fail. Untick it, or choose a "
                    + r.info.family().label() + " model.");
        } else if (on && ctx.engines.isBuiltInFill()) {
            ctx.notifier.info("LoRAs change a Stable Diffusion model; the built-in fill ignores them. Choose a model"
                    + " in the picker to use " + r.info.name() + ".");
        }
        if (r.info.fast() != null && r.info.usable()) {
            FastLora stillOn = view.rows().stream().filter(x -> x != r && x.on.isSelected() && x.info.fast() != null)
                    .map(x -> x.info.fast()).findFirst().orElse(null);
            fast.switched(r.info.name(), r.info.fast(), on, stillOn);
        }
        markPromptTags();
    }

    /** Marks the rows the prompt's {@code <lora:NAME:W>} tags name. */
    private void markPromptTags() {
        Map<String, Double> tags = new LinkedHashMap<>();
        try {
            for (LoraTag t : ExtraNetworks.parse(ctx.panel.prompt.getText()).loras()) {
                tags.putIfAbsent(t.name(), t.unetStrength());
            }
        } catch (IllegalArgumentException e) {
            // a tag with a strength that is no number: the engine says so when generating
        }
        view.promptTags(tags);
    }
}
