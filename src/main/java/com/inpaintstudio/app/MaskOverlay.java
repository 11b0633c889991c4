package com.inpaintstudio.app;

import com.inpaintstudio.image.Rect;
import javafx.scene.Group;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;

/**
 * The mask drawn as a translucent colour over the photo. The overlay is cut into tiles so a brush stroke re-uploads
 * only the few tiles it touched, and only the stroke's dirty rectangle is recomputed.
 * <p>No seams when zoomed out: each tile also holds the first {@link #OVERLAP} pixel rows and columns of its
 * neighbours (so no gap opens between them at fractional screen positions), tile pixels carry the mask as alpha
 * at full strength, and the overlay's translucency is the group's opacity, applied once to the flattened tiles (an
 * overlapped pixel does not look darker).
 */
public final class MaskOverlay extends Group {
    static final int TILE = 256;
    /**
     * Photo pixels each tile repeats of its right and lower neighbours: at zoom z a tile edge falls inside a screen
     * pixel that both tiles only partly cover, and the two partial coverages leave a faint line unless one of them
     * covers the whole screen pixel, i.e. OVERLAP * z >= 1. 16 keeps zooms down to 1/16 seamless.
     */
    static final int OVERLAP = 16;
    private final MaskModel mask;
    private final int cols;
    private final int rows;
    private final WritableImage[] tiles;
    private int[] scratch = new int[TILE * TILE];
    private int colorRgb;
    private double opacity;

    public MaskOverlay(MaskModel mask, Color color, double opacity) {
        this.mask = mask;
        this.cols = (mask.width() + TILE - 1) / TILE;
        this.rows = (mask.height() + TILE - 1) / TILE;
        this.tiles = new WritableImage[cols * rows]; // created on first use: an empty mask costs nothing
        setMouseTransparent(true);
        applyStyle(color, opacity);
        // new tiles are transparent: only a mask that already holds something needs drawing
        update(mask.boundingBox(1));
    }

    public MaskModel mask() {
        return mask;
    }

    /** Changes the overlay colour and how opaque fully masked pixels look; redraws everything. */
    public void setStyle(Color color, double opacity) {
        applyStyle(color, opacity);
        update(mask.bounds());
    }

    private void applyStyle(Color color, double opacity) {
        this.colorRgb = (int) Math.round(color.getRed() * 255) << 16 | (int) Math.round(color.getGreen() * 255) << 8
                | (int) Math.round(color.getBlue() * 255);
        this.opacity = Math.max(0, Math.min(1, opacity));
        setOpacity(this.opacity);
    }

    /** The photo pixels tile (tx, ty) shows: its square plus one pixel of overlap right and down. */
    private Rect extent(int tx, int ty) {
        return new Rect(tx * TILE, ty * TILE, TILE + OVERLAP, TILE + OVERLAP).intersect(mask.bounds());
    }

    /** Recomputes the overlay pixels inside {@code dirty} (photo coordinates). */
    public void update(Rect dirty) {
        Rect r = dirty.intersect(mask.bounds());
        if (r.isEmpty()) {
            return;
        }
        byte[] m = mask.raw();
        int mw = mask.width();
        // a pixel on a tile's first rows/columns is also in the overlap of the tile before it
        for (int ty = Math.max(0, (r.y() - OVERLAP) / TILE); ty <= (r.bottom() - 1) / TILE; ty++) {
            for (int tx = Math.max(0, (r.x() - OVERLAP) / TILE); tx <= (r.right() - 1) / TILE; tx++) {
                Rect ext = extent(tx, ty);
                Rect t = ext.intersect(r);
                if (t.isEmpty()) {
                    continue;
                }
                if (tiles[ty * cols + tx] == null) {
                    if (allZero(m, mw, t)) {
                        continue; // nothing to show and no tile yet: stay without one
                    }
                    t = ext; // a new tile is transparent: draw all of it (its overlap may already hold mask)
                }
                int n = t.width() * t.height();
                if (scratch.length < n) {
                    scratch = new int[n];
                }
                for (int y = 0; y < t.height(); y++) {
                    int src = (t.y() + y) * mw + t.x();
                    int dst = y * t.width();
                    for (int x = 0; x < t.width(); x++) {
                        scratch[dst + x] = (m[src + x] & 0xff) << 24 | colorRgb;
                    }
                }
                tile(tx, ty).getPixelWriter().setPixels(t.x() - tx * TILE, t.y() - ty * TILE, t.width(), t.height(),
                        PixelFormat.getIntArgbInstance(), scratch, 0, t.width());
            }
        }
    }

    private static boolean allZero(byte[] m, int mw, Rect t) {
        for (int y = t.y(); y < t.bottom(); y++) {
            for (int i = y * mw + t.x(), e = i + t.width(); i < e; i++) {
                if (m[i] != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private WritableImage tile(int tx, int ty) {
        WritableImage img = tiles[ty * cols + tx];
        if (img == null) {
            Rect ext = extent(tx, ty);
            img = new WritableImage(ext.width(), ext.height());
            tiles[ty * cols + tx] = img;
            ImageView v = new ImageView(img);
            v.setLayoutX(tx * TILE);
            v.setLayoutY(ty * TILE);
            v.setSmooth(false);
            getChildren().add(v);
        }
        return img;
    }

    /** Overlay pixel (ARGB) at a photo position, for tests. */
    public int argbAt(int x, int y) {
        WritableImage img = tiles[(y / TILE) * cols + x / TILE];
        return img == null ? 0 : img.getPixelReader().getArgb(x % TILE, y % TILE);
    }
}
