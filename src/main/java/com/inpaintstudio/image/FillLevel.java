package com.inpaintstudio.image;

/**
 * One level of the fill's image pyramid: the colours (hole pixels hold the current estimate), which pixels are to be
 * filled, and which may never be copied from (any painted pixel).
 */
final class FillLevel {
    final int w;
    final int h;
    final int[] red;
    final int[] green;
    final int[] blue;
    /** To be filled at this level. */
    final boolean[] hole;
    /** Never part of a source patch (this hole and every other painted pixel). */
    final boolean[] excluded;

    FillLevel(int w, int h, int[] red, int[] green, int[] blue, boolean[] hole, boolean[] excluded) {
        this.w = w;
        this.h = h;
        this.red = red;
        this.green = green;
        this.blue = blue;
        this.hole = hole;
        this.excluded = excluded;
    }

    static FillLevel of(RgbImage img, boolean[] hole, boolean[] excluded) {
        int n = img.width() * img.height();
        int[] r = new int[n];
        int[] g = new int[n];
        int[] b = new int[n];
        for (int i = 0; i < n; i++) {
            int p = img.rgb()[i];
            r[i] = p >> 16 & 0xff;
            g[i] = p >> 8 & 0xff;
            b[i] = p & 0xff;
        }
        return new FillLevel(img.width(), img.height(), r, g, b, hole.clone(), excluded.clone());
    }

    /**
     * Half the size (2x2 box average). A coarse pixel is a hole pixel when any of its four is, so the known coarse
     * pixels carry nothing of the removed object.
     */
    FillLevel half() {
        int cw = (w + 1) / 2;
        int ch = (h + 1) / 2;
        int n = cw * ch;
        int[] r = new int[n];
        int[] g = new int[n];
        int[] b = new int[n];
        boolean[] ho = new boolean[n];
        boolean[] ex = new boolean[n];
        for (int y = 0; y < ch; y++) {
            for (int x = 0; x < cw; x++) {
                int sr = 0, sg = 0, sb = 0, k = 0;
                boolean anyHole = false;
                boolean anyEx = false;
                for (int dy = 0; dy < 2; dy++) {
                    int yy = 2 * y + dy;
                    if (yy >= h) continue;
                    for (int dx = 0; dx < 2; dx++) {
                        int xx = 2 * x + dx;
                        if (xx >= w) continue;
                        int i = yy * w + xx;
                        sr += red[i];
                        sg += green[i];
                        sb += blue[i];
                        k++;
                        anyHole |= hole[i];
                        anyEx |= excluded[i];
                    }
                }
                int j = y * cw + x;
                r[j] = (sr + k / 2) / k;
                g[j] = (sg + k / 2) / k;
                b[j] = (sb + k / 2) / k;
                ho[j] = anyHole;
                ex[j] = anyEx || anyHole;
            }
        }
        return new FillLevel(cw, ch, r, g, b, ho, ex);
    }

    int holeCount() {
        int n = 0;
        for (boolean b : hole) {
            if (b) n++;
        }
        return n;
    }

    RgbImage image() {
        int[] px = new int[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = red[i] << 16 | green[i] << 8 | blue[i];
        }
        return new RgbImage(w, h, px);
    }

    /** Takes the hole pixels of {@code img} (same size). */
    void setHoleFrom(RgbImage img) {
        for (int i = 0; i < hole.length; i++) {
            if (hole[i]) {
                int p = img.rgb()[i];
                red[i] = p >> 16 & 0xff;
                green[i] = p >> 8 & 0xff;
                blue[i] = p & 0xff;
            }
        }
    }

    /** Hole pixels start as the coarser level's estimate (nearest pixel): the starting point of the refinement. */
    void setHoleFromCoarse(FillLevel coarse) {
        for (int y = 0; y < h; y++) {
            int cy = Math.min(coarse.h - 1, y / 2);
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (!hole[i]) continue;
                int j = cy * coarse.w + Math.min(coarse.w - 1, x / 2);
                red[i] = coarse.red[j];
                green[i] = coarse.green[j];
                blue[i] = coarse.blue[j];
            }
        }
    }
}
