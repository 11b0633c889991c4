package com.inpaintstudio.app;

import com.inpaintstudio.app.ActionTable.Scope;

/**
 * Every action of the editor, in one table: what the menus show, which keys do what, and what the shortcut help says.
 * Menu-scope keys are menu accelerators; canvas-scope keys are left to a text field that has the focus.
 */
final class EditorActions {
    private EditorActions() {
    }

    static ActionTable create(EditorContext ctx, DocumentController docs, MaskController masks, GenerationController gen,
                              ExportController export, BrushTools brush, ExtendController extend, Runnable showHelp) {
        ActionTable t = new ActionTable();
        CanvasView canvas = ctx.canvas;
        // File
        t.add("file.new", "New canvas…", "new blank canvas (text-to-image)", docs::newCanvas).keys(Scope.MENU, "Shortcut+N");
        t.add("file.open", "Open…", "open a photo", docs::chooseAndOpen).keys(Scope.MENU, "Shortcut+O");
        t.add("file.paste", "Paste image", "paste an image", docs::paste).keys(Scope.CANVAS, "Shortcut+V");
        t.add("file.sample", "Sample photo", null, () -> {
            if (docs.guard.confirm("Open the sample photo")) {
                docs.showSamplePhoto();
            }
        });
        t.add("file.loadSettings", "Load settings from PNG…", null, docs::chooseAndLoadSettings);
        t.add("file.exportResult", "Export result PNG…", "export the selected result (or the photo)", export::exportSelectedResult)
                .keys(Scope.MENU, "Shortcut+S");
        t.add("file.exportMask", "Export mask PNG…", "export the mask", export::chooseAndExportMask)
                .keys(Scope.MENU, "Shortcut+Shift+S");
        t.add("file.importMask", "Import mask…", "import a mask (white = repaint)", masks::chooseAndImport)
                .keys(Scope.MENU, "Shortcut+M");
        t.add("file.quit", "Quit", "quit", () -> {
            if (docs.guard.confirm("Quit")) {
                ctx.stage.close();
            }
        }).keys(Scope.MENU, "Shortcut+Q");
        // Edit
        t.add("edit.undo", "Undo", "undo", masks::undo).keys(Scope.CANVAS, "Shortcut+Z");
        t.add("edit.redo", "Redo", "redo", masks::redo).keys(Scope.CANVAS, "Shortcut+Shift+Z", "Shortcut+Y");
        t.add("mask.clear", "Clear mask", null, masks::clear);
        t.add("mask.invert", "Invert mask", "invert the mask", masks::invert).keys(Scope.MENU, "Shortcut+I");
        t.add("mask.fill", "Mask everything", null, masks::fill);
        t.add("mask.grow", "Grow mask (8 px)", null, () -> masks.morph(8));
        t.add("mask.shrink", "Shrink mask (8 px)", null, () -> masks.morph(-8));
        // Image
        t.add("image.extend", "Extend canvas…", "extend the canvas (outpainting)", extend::chooseAndExtend)
                .keys(Scope.MENU, "Shortcut+Shift+E");
        // Painting (keys only)
        t.add("tool.brush", "Brush", "brush", () -> brush.select(CanvasView.Tool.BRUSH)).keys(Scope.CANVAS, "B");
        t.add("tool.eraser", "Eraser", "eraser", () -> brush.select(CanvasView.Tool.ERASER)).keys(Scope.CANVAS, "E");
        t.add("tool.swap", "Swap brush / eraser", "swap brush / eraser", brush::swap).keys(Scope.CANVAS, "X");
        t.add("brush.smaller", "Smaller brush", "smaller brush", brush::smaller).keys(Scope.CANVAS, "Open Bracket");
        t.add("brush.larger", "Larger brush", "larger brush", brush::larger).keys(Scope.CANVAS, "Close Bracket");
        t.add("brush.line", "Straight line", "straight line from the last stroke", () -> { }).gesture("Shift-click");
        // View
        t.add("view.fit", "Fit", "fit the photo in the window", canvas::fit).keys(Scope.MENU, "Shortcut+0");
        t.add("view.actual", "100 %", "one photo pixel per screen pixel", canvas::actualSize).keys(Scope.MENU, "Shortcut+1");
        t.add("view.zoom", "Zoom", "zoom around the pointer", () -> { }).gesture("Wheel");
        t.add("view.pan", "Pan", "pan", () -> canvas.setSpaceDown(true)).keys(Scope.CANVAS, "Space")
                .onRelease(() -> canvas.setSpaceDown(false)).gesture("Space-drag, middle-drag");
        t.add("view.original", "Show the original", "show the original photo",
                () -> canvas.showOriginalProperty().set(true)).keys(Scope.CANVAS, "O")
                .onRelease(() -> canvas.showOriginalProperty().set(false));
        t.add("view.photo", "Show photo", null, () -> ctx.strip.selectedProperty().set(null));
        // Generate
        t.add("gen.run", "Generate / Cancel", "generate (or cancel)", gen::generateOrCancel).keys(Scope.ANYWHERE, "Shortcut+Enter");
        t.add("gen.cancel", "Cancel", "cancel the generation", gen::cancel).keys(Scope.ANYWHERE, "Esc")
                .when(gen::isGenerating);
        t.add("gen.useAsBase", "Use result as base", null, gen::useAsBase);
        // Help
        t.add("help.shortcuts", "Shortcuts", "this list", showHelp).keys(Scope.MENU, "F1");
        return t;
    }
}
