package com.inpaintstudio.image;

import java.nio.file.Path;

/**
 * Dev tool: renders the sample photo shipped for the first launch (a lake landscape at golden hour with a signpost in
 * the meadow, something a user would want to remove) procedurally, so it can be regenerated and carries no licence.
 * Run: {@code java -cp target/classes:target/test-classes com.inpaintstudio.image.SampleLandscapeGenerator [out.png]}.
 */
public final class SampleLandscapeGenerator {
    public static final int WIDTH = 768;
    public static final int HEIGHT = 512;
    public static final String RESOURCE = "src/main/resources/com/inpaintstudio/sample/sample-landscape.png";

    static final double HORIZON = 300;
    static final double SUN_X = 540;
    static final double SUN_Y = 205;

    private SampleLandscapeGenerator() {}

    public static void main(String[] args) {
        Path out = Path.of(args.length > 0 ? args[0] : RESOURCE);
        ImageFiles.writePng(render(), out);
        System.out.println("wrote " + out.toAbsolutePath());
    }

    /** The whole picture (deterministic). */
    public static RgbImage render() {
        int[] px = new int[WIDTH * HEIGHT];
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                double[] c = pixel(x + 0.5, y + 0.5);
                // vignette and a little film grain
                double dx = (x - WIDTH / 2.0) / WIDTH;
                double dy = (y - HEIGHT / 2.0) / HEIGHT;
                double vig = 1 - 0.35 * (dx * dx + dy * dy) * 2;
                double grain = (hash(x * 7919 + 13, y * 104729 + 7) - 0.5) * 2.5;
                int r = clamp(c[0] * vig + grain);
                int g = clamp(c[1] * vig + grain);
                int b = clamp(c[2] * vig + grain);
                px[y * WIDTH + x] = r << 16 | g << 8 | b;
            }
        }
        return new RgbImage(WIDTH, HEIGHT, px);
    }

    static double[] pixel(double x, double y) {
        double shore = shoreLine(x);
        double[] c;
        if (y < HORIZON) {
            c = upper(x, y);
        } else if (y < shore) {
            c = lake(x, y);
        } else {
            c = meadow(x, y, shore);
        }
        double[] tr = foregroundTrees(x, y);
        if (tr != null) c = tr;
        double[] post = signpost(x, y);
        return post != null ? post : c;
    }

    // ---- sky, mountains, hills ------------------------------------------------------------------------------

    static double farRidge(double x) {
        return HORIZON - 38 - 62 * fbm(x / 170.0, 3.1, 4) - 18 * Math.sin(x / 97.0 + 1.3);
    }

    static double midRidge(double x) {
        return HORIZON - Math.max(5, 14 + 110 * (fbm(x / 120.0 + 17, 8.4, 4) - 0.42));
    }

    static double[] sky(double x, double y) {
        double t = Math.max(0, Math.min(1, y / HORIZON));
        double[] top = {38, 82, 158};
        double[] mid = {118, 160, 214};
        double[] low = {250, 196, 150};
        double[] c = t < 0.55 ? mix(top, mid, smooth(t / 0.55)) : mix(mid, low, smooth((t - 0.55) / 0.45));
        double d = Math.hypot(x - SUN_X, (y - SUN_Y) * 1.1);
        double glow = Math.exp(-d / 75.0) * 0.75 + Math.exp(-d / 220.0) * 0.25;
        c = add(c, new double[] {255 * glow * 0.55, 190 * glow * 0.5, 110 * glow * 0.35});
        // clouds: stretched fbm, lit warm from the sun side
        double n = fbm(x / 210.0, y / 38.0, 5);
        double cloud = smooth(Math.max(0, Math.min(1, (n - 0.52) / 0.22))) * Math.max(0, 1 - y / 230.0);
        double[] cc = mix(new double[] {245, 238, 235}, new double[] {252, 210, 170}, Math.exp(-Math.abs(x - SUN_X) / 260.0));
        c = mix(c, cc, cloud * 0.85);
        if (d < 21) {
            c = mix(c, new double[] {255, 250, 228}, smooth(Math.min(1, (21 - d) / 2.5)));
        }
        return c;
    }

    static double[] upper(double x, double y) {
        double far = farRidge(x);
        double mid = midRidge(x);
        double[] c = sky(x, y);
        if (y >= far) {
            double depth = (y - far) / (HORIZON - far + 1);
            double tex = fbm(x / 40.0, y / 25.0, 4);
            double gullies = fbm(x / 9.0, y / 40.0, 3);
            double[] rock = mix(new double[] {96, 108, 150}, new double[] {146, 146, 176}, tex);
            rock = scale(rock, 0.8 + 0.35 * gullies);
            // the sun side of the slopes catches warm light
            double slope = farRidge(x + 3) - farRidge(x - 3);
            rock = add(rock, new double[] {Math.max(0, -slope) * 3, Math.max(0, -slope) * 1.8, 0});
            // haze thickens towards the horizon
            c = mix(rock, new double[] {205, 180, 170}, 0.25 + 0.45 * depth);
        }
        if (y >= mid) {
            double tex = fbm(x / 14.0, y / 9.0, 4);
            double light = 0.75 + 0.35 * Math.exp(-Math.abs(x - SUN_X) / 300.0);
            double slope = midRidge(x + 3) - midRidge(x - 3);
            c = scale(mix(new double[] {48, 80, 56}, new double[] {84, 116, 64}, tex), light + Math.max(-0.2, Math.min(0.2, -slope * 0.03)));
            // mist over the water at the foot of the hills
            double foot = Math.max(0, 1 - (HORIZON - y) / 12.0);
            c = mix(c, new double[] {176, 166, 160}, 0.12 + 0.3 * foot);
            double[] tree = treeLine(x, y, mid);
            if (tree != null) c = tree;
        }
        return c;
    }

    /** Small dark conifers along the hill ridge. */
    static double[] treeLine(double x, double y, double ridge) {
        double cell = 11;
        double k = Math.floor(x / cell);
        for (double j = k - 1; j <= k + 1; j++) {
            double h = hash((int) j, 99);
            if (h < 0.45) continue;
            double cx = (j + 0.5) * cell + (hash((int) j, 7) - 0.5) * 6;
            double base = midRidge(cx) + 3;
            double height = 10 + 12 * hash((int) j, 3);
            double top = base - height;
            if (y < top || y > base) continue;
            double halfW = (y - top) / height * (3 + 2.5 * hash((int) j, 5));
            if (Math.abs(x - cx) <= halfW) {
                double shade = 0.8 + 0.3 * fbm(x / 3.0, y / 3.0, 2);
                return scale(new double[] {34, 58, 42}, shade);
            }
        }
        return null;
    }

    // ---- lake --------------------------------------------------------------------------------------------------

    static double shoreLine(double x) {
        return 372 + 26 * fbm(x / 130.0 + 40, 2.2, 3) + 10 * Math.sin(x / 140.0);
    }

    static double[] lake(double x, double y) {
        double dist = y - HORIZON;
        double ripple = Math.sin(dist * 0.9 + 6 * fbm(x / 60.0, y / 6.0, 3)) * (0.6 + dist * 0.05);
        double ry = HORIZON - dist * 1.0 - 1;
        double rx = x + ripple * 2.2;
        double[] refl = upper(rx, Math.max(0, ry + ripple * 0.8));
        double[] water = {44, 78, 108};
        double fresnel = 0.78 - 0.25 * Math.min(1, dist / 90.0);
        double[] c = mix(water, refl, fresnel);
        // glitter under the sun
        double sunCol = Math.exp(-Math.abs(x - SUN_X) / (12 + dist * 0.35));
        double sparkle = Math.pow(fbm(x / 3.0, y / 1.2, 2), 3) * 2.4;
        c = add(c, new double[] {255 * sunCol * sparkle * 0.6, 220 * sunCol * sparkle * 0.55, 160 * sunCol * sparkle * 0.4});
        // a darker wet band by the shore
        double shore = shoreLine(x);
        c = scale(c, 1 - 0.25 * Math.exp(-(shore - y) / 4.0));
        return c;
    }

    // ---- meadow, trees, signpost -------------------------------------------------------------------------------

    static double[] meadow(double x, double y, double shore) {
        double t = (y - shore) / (HEIGHT - shore);
        double patch = fbm(x / 90.0, y / 40.0, 4);
        double blades = fbm(x / 1.6, y / 14.0, 3);
        double[] near = {62, 102, 36};
        double[] far = {128, 152, 62};
        double[] c = mix(far, near, Math.min(1, t * 1.2));
        c = mix(c, new double[] {160, 150, 70}, 0.35 * smooth(patch)); // dry patches
        c = scale(c, 0.84 + 0.3 * blades);
        // warm light from the low sun
        c = add(c, new double[] {22 * (1 - t), 12 * (1 - t), 0});
        // wildflowers
        double f = hash((int) Math.floor(x / 3), (int) Math.floor(y / 3));
        if (f > 0.993 && t > 0.2) {
            c = f > 0.9965 ? new double[] {236, 226, 120} : new double[] {232, 236, 240};
        }
        // a muddy strip along the water
        double mud = Math.exp(-(y - shore) / 2.5);
        c = mix(c, new double[] {96, 84, 62}, 0.7 * mud);
        return shadowOfPost(x, y, c);
    }

    static final double POST_X = 452;
    static final double POST_BASE = 468;

    /** A wooden signpost with an arrow board: the object a user would paint over and remove. */
    static double[] signpost(double x, double y) {
        double postTop = 402;
        double grain = fbm(x / 1.5, y / 12.0, 3);
        if (Math.abs(x - POST_X) <= 4.5 && y >= postTop && y <= POST_BASE + fbm(x, 1, 2) * 3) {
            double side = (x - POST_X) / 4.5; // lit from the right
            return scale(new double[] {112, 78, 48}, 0.72 + 0.25 * side + 0.22 * grain);
        }
        // arrow board pointing right
        double bx0 = POST_X - 34;
        double bx1 = POST_X + 30;
        double by0 = 408;
        double by1 = 430;
        double mid = (by0 + by1) / 2;
        boolean inBody = x >= bx0 && x <= bx1 && y >= by0 && y <= by1;
        boolean inTip = x > bx1 && x <= bx1 + 12 && Math.abs(y - mid) <= (by1 - by0) / 2 * (1 - (x - bx1) / 12);
        if (inBody || inTip) {
            double edge = Math.min(Math.min(x - bx0, y - by0), Math.min(by1 - y, inTip ? 3 : bx1 + 12 - x));
            double[] wood = scale(new double[] {176, 132, 84}, 0.8 + 0.3 * fbm(x / 14.0, y / 1.4, 3));
            if (edge < 1.6) wood = scale(wood, 0.6);
            // carved letters: a few dark strokes
            double lx = x - bx0 - 9;
            double ly = y - by0 - 7;
            if (lx > 0 && lx < 44 && ly > 0 && ly < 8) {
                int col = (int) Math.floor(lx / 4);
                if (col % 3 != 2 && hash(col, (int) Math.floor(ly / 3)) > 0.35) wood = scale(wood, 0.45);
            }
            return wood;
        }
        // a nail head
        return null;
    }

    static double[] shadowOfPost(double x, double y, double[] c) {
        // the low sun on the right throws a long shadow to the left along the ground
        if (y > POST_BASE - 5 && y < POST_BASE + 4 && x < POST_X && x > POST_X - 80) {
            double a = 0.45 * (1 - (POST_X - x) / 80) * Math.exp(-Math.abs(y - POST_BASE + 0.5) / 3.0);
            return scale(c, 1 - a);
        }
        return c;
    }

    /** Two conifers on the left and a round tree on the right. */
    static double[] foregroundTrees(double x, double y) {
        double[] c = conifer(x, y, 84, 452, 190, 1);
        if (c == null) c = conifer(x, y, 140, 436, 150, 2);
        if (c == null) c = conifer(x, y, 38, 470, 230, 3);
        if (c == null) c = roundTree(x, y, 690, 430);
        return c;
    }

    static double[] conifer(double x, double y, double cx, double base, double height, int seed) {
        double top = base - height;
        if (y < top || y > base + 2) return null;
        double halfW = height * 0.2;
        if (Math.abs(x - cx) > halfW + 6) return null;
        if (Math.abs(x - cx) < height * 0.018 && y > base - height * 0.18) {
            return scale(new double[] {78, 54, 36}, 0.7 + 0.3 * fbm(x / 2.0, y / 9.0, 2));
        }
        double u = (y - top) / (height * 0.86);
        if (u > 1) return null;
        // layered boughs: a saw-tooth profile
        double tiers = 7;
        double tier = u * tiers - Math.floor(u * tiers);
        double width = halfW * (0.15 + 0.85 * u) * (0.65 + 0.35 * tier);
        width += (fbm(x / 4.0 + seed * 10, y / 4.0, 3) - 0.5) * 7;
        if (Math.abs(x - cx) > width) return null;
        double side = (x - cx) / Math.max(1, width); // light from the right
        double shade = 0.55 + 0.3 * side + 0.35 * fbm(x / 3.0 + seed * 7, y / 3.0, 3) + 0.1 * tier;
        return scale(new double[] {38, 74, 46}, shade);
    }

    static double[] roundTree(double x, double y, double cx, double base) {
        if (Math.abs(x - cx) < 4 && y > base - 40 && y < base + 2) {
            return scale(new double[] {84, 60, 40}, 0.7 + 0.3 * fbm(x / 2.0, y / 8.0, 2));
        }
        double ccx = cx;
        double ccy = base - 70;
        double r = 46 + (fbm(Math.atan2(y - ccy, x - ccx) * 3, 4.2, 3) - 0.5) * 22;
        double d = Math.hypot(x - ccx, (y - ccy) * 1.15);
        if (d > r) return null;
        double lx = (x - ccx) / r;
        double ly = (y - ccy) / r;
        double light = 0.6 + 0.35 * lx - 0.25 * ly;
        double leaves = fbm(x / 5.0, y / 5.0, 4);
        double[] c = scale(new double[] {70, 112, 52}, light + 0.45 * (leaves - 0.5) + 0.15);
        return add(c, new double[] {20 * Math.max(0, lx), 12 * Math.max(0, lx), 0});
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    static double hash(int x, int y) {
        long h = x * 374761393L + y * 668265263L;
        h = (h ^ (h >>> 13)) * 1274126177L;
        h ^= h >>> 16;
        return (h & 0xffffff) / (double) 0x1000000;
    }

    static double valueNoise(double x, double y) {
        int xi = (int) Math.floor(x);
        int yi = (int) Math.floor(y);
        double fx = smooth(x - xi);
        double fy = smooth(y - yi);
        double a = hash(xi, yi);
        double b = hash(xi + 1, yi);
        double c = hash(xi, yi + 1);
        double d = hash(xi + 1, yi + 1);
        return (a + (b - a) * fx) + ((c + (d - c) * fx) - (a + (b - a) * fx)) * fy;
    }

    /** Fractal noise in [0, 1]. */
    static double fbm(double x, double y, int octaves) {
        double sum = 0;
        double amp = 0.5;
        double norm = 0;
        for (int i = 0; i < octaves; i++) {
            sum += amp * valueNoise(x, y);
            norm += amp;
            x = x * 2.03 + 17.1;
            y = y * 2.01 + 3.7;
            amp *= 0.5;
        }
        return sum / norm;
    }

    static double smooth(double t) {
        t = Math.max(0, Math.min(1, t));
        return t * t * (3 - 2 * t);
    }

    static double[] mix(double[] a, double[] b, double t) {
        return new double[] {a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t};
    }

    static double[] add(double[] a, double[] b) {
        return new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]};
    }

    static double[] scale(double[] a, double s) {
        return new double[] {a[0] * s, a[1] * s, a[2] * s};
    }

    static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
