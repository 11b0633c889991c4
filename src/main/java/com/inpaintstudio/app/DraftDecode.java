package com.inpaintstudio.app;

import com.inpaintstudio.pipeline.InpaintResult;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.StackPane;

/**
 * The optional draft final decode (through TAESD instead of the VAE: a fraction of the time, softer detail) as the
 * editor shows it: the menu item's label, and the badge on a result tile so a draft is never mistaken for a final.
 * The engine writes {@link #PARAMETER} into the PNG's parameters of every draft.
 */
final class DraftDecode {
    static final String MENU_TEXT = "Draft decode (TAESD, lower quality)";
    /** What the pipeline adds to a draft's parameters (and so to its PNG). */
    static final String PARAMETER = "VAE: TAESD (draft)";
    static final String BADGE = "DRAFT";

    private DraftDecode() {
    }

    /** A draft: asked for as one, or (a result restored from a session) its parameters say so. */
    static boolean isDraft(InpaintResult r) {
        return r != null && ((r.request() != null && r.request().draftDecode())
                || (r.parameters() != null && r.parameters().contains(PARAMETER)));
    }

    /** Puts the "DRAFT" badge on a result tile's thumbnail frame when {@code r} is a draft. */
    static void mark(StackPane frame, InpaintResult r) {
        if (!isDraft(r)) {
            return;
        }
        Label badge = new Label(BADGE);
        badge.getStyleClass().add("draft-badge");
        badge.setTooltip(new Tooltip("Draft: the final picture was decoded through TAESD (lower quality). "
                + "Generate again without Preview ▸ Draft decode for the final."));
        StackPane.setAlignment(badge, Pos.TOP_LEFT);
        frame.getChildren().add(badge);
        frame.getStyleClass().add("draft");
    }
}
