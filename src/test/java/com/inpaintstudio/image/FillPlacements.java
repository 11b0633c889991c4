package com.inpaintstudio.image;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Mask placements on the sample photo that touch its structure (shoreline, horizon, ridge, image edge), and a
 * before/after picture of each: the checks and the dev tool behind docs/builtin-fill.png.
 * Run: {@code java -cp target/classes:target/test-classes:<deps> com.inpaintstudio.image.FillPlacements [dir [--12mp]]}
 * ({@code <deps>}: {@code mvn -o dependency:build-classpath}); {@code --12mp} times the fill on the photo enlarged to
 * 4000x3000 instead; {@code docs --docs} writes docs/builtin-fill.jpg. {@code -Donly=NAME} runs one placement.
 */
public final class FillPlacements {
    /** An elliptical brush mask (what a user paints) at {@code (cx, cy)} with radii {@code rx, ry}. */
    public record Placement(String name, double cx, double cy, double rx, double ry) {
        public Mask mask(int w, int h, double scale) {
            return mask(w, h, scale, scale);
        }

        /** The mask on the sample photo scaled by {@code sx, sy} (the 4000x3000 check). */
        public Mask mask(int w, int h, double sx, double sy) {
            float[] v = new float[w * h];
            double x0 = cx * sx;
            double y0 = cy * sy;
            double ax = rx * sx;
            double ay = ry * sy;
            for (int y = Math.max(0, (int) (y0 - ay)); y < Math.min(h, (int) Math.ceil(y0 + ay) + 1); y++) {
                for (int x = Math.max(0, (int) (x0 - ax)); x < Math.min(w, (int) Math.ceil(x0 + ax) + 1); x++) {
                    double dx = (x + 0.5 - x0) / ax;
                    double dy = (y + 0.5 - y0) / ay;
                    if (dx * dx + dy * dy <= 1) v[y * w + x] = 1f;
                }
            }
            return new Mask(w, h, v);
        }

        public Rect box(int w, int h, int margin) {
            int x0 = (int) Math.max(0, cx - rx - margin);
            int y0 = (int) Math.max(0, cy - ry - margin);
            int x1 = (int) Math.min(w, cx + rx + margin);
            int y1 = (int) Math.min(h, cy + ry + margin);
            return new Rect(x0, y0, x1 - x0, y1 - y0);
        }
    }

    /** On the 768x512 sample photo. */
    public static final List<Placement> PLACEMENTS = List.of(
            new Placement("shore", 300, 388, 40, 28),        // lake | meadow shoreline
            new Placement("horizon", 380, 300, 36, 24),      // hills | their reflection in the lake
            new Placement("ridge", 230, 222, 36, 22),        // sky | mountain ridge
            new Placement("water", 330, 338, 30, 18),        // inside the lake
            new Placement("edge", 768, 300, 46, 34),         // at the right edge, across the horizon
            new Placement("edge-tree", 768, 380, 46, 34),    // right edge, shore hidden behind a tree
            new Placement("large", 300, 372, 110, 62),       // large, across water, shore and meadow
            new Placement("signpost", 462, 437, 64, 48));    // the demo object

    private FillPlacements() {}

    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/fill-check");
        if (args.length > 1 && args[1].equals("--12mp")) {
            twelveMegapixels(dir);
            return;
        }
        if (args.length > 1 && args[1].equals("--docs")) {
            docsPicture(dir.resolve("builtin-fill.jpg"));
            return;
        }
        RgbImage photo = SamplePhoto.load();
        String only = System.getProperty("only");
        for (Placement p : PLACEMENTS) {
            if (only != null && !only.equals(p.name())) continue;
            Mask m = p.mask(photo.width(), photo.height(), 1);
            long t0 = System.nanoTime();
            RgbImage out = ClassicalFill.fill(photo, m);
            double s = (System.nanoTime() - t0) / 1e9;
            Rect box = p.box(photo.width(), photo.height(), 50);
            ImageFiles.writePng(beforeAfter(photo, out, m, box, 2), dir.resolve(p.name() + ".png"));
            System.out.printf(Locale.ROOT, "%-9s %.2f s%n", p.name(), s);
        }
    }

    /**
     * README's picture: rows of before (mask outlined) | after for the shore, ridge, horizon, signpost and large
     * placements, each row 806x220 (small masks zoomed 2x, the large one 1x), as a JPEG.
     */
    static void docsPicture(Path file) {
        RgbImage photo = SamplePhoto.load();
        List<String> names = List.of("shore", "ridge", "horizon", "signpost", "large");
        int rowH = 220;
        int width = 2 * 400 + 6;
        java.awt.image.BufferedImage sheet = new java.awt.image.BufferedImage(width, names.size() * (rowH + 6) - 6,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = sheet.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
        int y = 0;
        for (String name : names) {
            Placement p = PLACEMENTS.stream().filter(q -> q.name().equals(name)).findFirst().orElseThrow();
            Mask m = p.mask(photo.width(), photo.height(), 1);
            RgbImage out = ClassicalFill.fill(photo, m);
            int zoom = name.equals("large") ? 1 : 2;
            int bw = 400 / zoom;
            int bh = rowH / zoom;
            int x0 = (int) Math.max(0, Math.min(photo.width() - bw, p.cx() - bw / 2.0));
            int y0 = (int) Math.max(0, Math.min(photo.height() - bh, p.cy() - bh / 2.0));
            RgbImage row = beforeAfter(photo, out, m, new Rect(x0, y0, bw, bh), zoom);
            g.drawImage(ImageFiles.toBufferedImage(row), 0, y, null);
            y += rowH + 6;
        }
        g.dispose();
        try {
            java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
            javax.imageio.ImageIO.write(sheet, "jpg", file.toFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        System.out.println("wrote " + file);
    }

    /**
     * The sample photo enlarged to 4000x3000 with the "shore", "large" and "signpost" masks scaled along: prints the
     * time of each fill (CPU time of the filling thread and wall time) and writes a before/after of each.
     */
    static void twelveMegapixels(Path dir) {
        RgbImage small = SamplePhoto.load();
        RgbImage photo = Resize.lanczos(small, 4000, 3000);
        double sx = 4000.0 / small.width();
        double sy = 3000.0 / small.height();
        java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        ClassicalFill.fill(small, PLACEMENTS.get(0).mask(small.width(), small.height(), 1)); // JIT warm-up
        String only = System.getProperty("only");
        for (String name : List.of("shore", "large", "signpost")) {
            if (only != null && !only.equals(name)) continue;
            Placement p = PLACEMENTS.stream().filter(q -> q.name().equals(name)).findFirst().orElseThrow();
            Mask m = p.mask(4000, 3000, sx, sy);
            int painted = 0;
            for (float f : m.values()) if (f >= 0.5f) painted++;
            long c0 = bean.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            RgbImage out = ClassicalFill.fill(photo, m);
            System.out.printf(Locale.ROOT, "4000x3000 %-9s mask %d px: %.2f s CPU, %.2f s wall%n", name, painted,
                    (bean.getCurrentThreadCpuTime() - c0) / 1e9, (System.nanoTime() - t0) / 1e9);
            Rect box = new Rect((int) Math.max(0, (p.cx() - p.rx() - 30) * sx), (int) Math.max(0, (p.cy() - p.ry() - 30) * sy),
                    0, 0);
            int bw = (int) Math.min(4000 - box.x(), (2 * p.rx() + 60) * sx);
            int bh = (int) Math.min(3000 - box.y(), (2 * p.ry() + 60) * sy);
            ImageFiles.writePng(beforeAfter(photo, out, m, new Rect(box.x(), box.y(), bw, bh), 1),
                    dir.resolve("12mp-" + name + ".png"));
        }
    }

    /** The crop {@code box} before (mask outlined in red) and after, side by side, each scaled up {@code zoom} times. */
    public static RgbImage beforeAfter(RgbImage before, RgbImage after, Mask m, Rect box, int zoom) {
        int bw = box.width() * zoom;
        int bh = box.height() * zoom;
        int gap = 6;
        int[] px = new int[(2 * bw + gap) * bh];
        java.util.Arrays.fill(px, 0xffffff);
        int W = 2 * bw + gap;
        for (int y = 0; y < bh; y++) {
            for (int x = 0; x < bw; x++) {
                int sx = box.x() + x / zoom;
                int sy = box.y() + y / zoom;
                boolean edge = m.get(sx, sy) >= 0.5f && (sx == 0 || sy == 0 || sx == m.width() - 1
                        || sy == m.height() - 1 || m.get(sx - 1, sy) < 0.5f || m.get(sx + 1, sy) < 0.5f
                        || m.get(sx, sy - 1) < 0.5f || m.get(sx, sy + 1) < 0.5f);
                px[y * W + x] = edge ? 0xff2020 : before.get(sx, sy);
                px[y * W + bw + gap + x] = after.get(sx, sy);
            }
        }
        return new RgbImage(W, bh, px);
    }
}
