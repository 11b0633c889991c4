package com.inpaintstudio.app;

import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.prefs.Preferences;

/**
 * The editor's open/save/folder dialogs. Each kind of file remembers its own folder in the settings (photos, saved
 * PNGs, models), so a dialog opens where the user was last time for that kind of file.
 */
final class FileDialogs {
    /** The folders remembered, by settings key. */
    enum Folder {
        PHOTOS("dir.open"), SAVED("dir.save"), MODELS("dir.model");

        final String key;

        Folder(String key) {
            this.key = key;
        }
    }

    static final FileChooser.ExtensionFilter IMAGES = new FileChooser.ExtensionFilter("Images",
            "*.png", "*.jpg", "*.jpeg", "*.bmp", "*.gif", "*.PNG", "*.JPG", "*.JPEG");
    static final FileChooser.ExtensionFilter ALL_FILES = new FileChooser.ExtensionFilter("All files", "*.*");
    static final FileChooser.ExtensionFilter PNG = new FileChooser.ExtensionFilter("PNG image", "*.png");

    private final Window owner;
    private final Preferences prefs;

    FileDialogs(Window owner, Preferences prefs) {
        this.owner = owner;
        this.prefs = prefs;
    }

    /** An existing file chosen by the user, or null; its folder is remembered under {@code folder}. */
    Path open(String title, Folder folder, FileChooser.ExtensionFilter... filters) {
        FileChooser fc = new FileChooser();
        fc.setTitle(title);
        fc.getExtensionFilters().addAll(List.of(filters));
        fc.setInitialDirectory(start(folder));
        return remembered(folder, fc.showOpenDialog(owner));
    }

    /** A PNG file name to write ({@code .png} added when missing), or null. Starts in the last save folder, else photos'. */
    Path savePng(String title, String suggestedName) {
        FileChooser fc = new FileChooser();
        fc.setTitle(title);
        fc.setInitialFileName(suggestedName);
        fc.getExtensionFilters().add(PNG);
        fc.setInitialDirectory(start(Folder.SAVED) != null ? start(Folder.SAVED) : start(Folder.PHOTOS));
        File f = fc.showSaveDialog(owner);
        if (f != null && !f.getName().toLowerCase(Locale.ROOT).endsWith(".png")) {
            f = new File(f.getParentFile(), f.getName() + ".png");
        }
        return remembered(Folder.SAVED, f);
    }

    /** A folder chosen by the user, or null; the folder that holds it is remembered. */
    Path folder(String title, Folder folder) {
        DirectoryChooser dc = new DirectoryChooser();
        dc.setTitle(title);
        dc.setInitialDirectory(start(folder));
        return remembered(folder, dc.showDialog(owner));
    }

    /** Remembers the folder holding {@code file} (also for files that arrive without a dialog: drops, recent list). */
    void remember(Folder folder, Path file) {
        Path parent = file.toAbsolutePath().getParent();
        prefs.put(folder.key, parent == null ? file.toAbsolutePath().toString() : parent.toString());
    }

    private Path remembered(Folder folder, File chosen) {
        if (chosen == null) {
            return null;
        }
        remember(folder, chosen.toPath());
        return chosen.toPath();
    }

    private File start(Folder folder) {
        String s = prefs.get(folder.key, null);
        if (s == null || s.isEmpty()) {
            return null;
        }
        File f = new File(s);
        return f.isDirectory() ? f : null;
    }
}
