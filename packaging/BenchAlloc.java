import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Measurement tool (not part of the app): the attention-sized allocation that glibc's default malloc makes slow.
 * batchMatMul of (16,4096,40) x (16,40,4096) -> fresh 16x4096x4096 float scores (1 GiB) per call: SD-1.5 self-attention
 * at 512x512 (64x64 latent = 4096 tokens, 8 heads of 40, batch 2 for classifier-free guidance). Run it with and without GLIBC_TUNABLES (packaging/bench-alloc.sh does both).
 */
public final class BenchAlloc {
    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int heads = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        Engine.getEngine("PyTorch");
        try (NDManager root = NDManager.newBaseManager("PyTorch")) {
            NDArray q = root.randomNormal(new Shape(heads, 4096, 40));
            NDArray k = root.randomNormal(new Shape(heads, 40, 4096));
            long best = Long.MAX_VALUE;
            long total = 0;
            for (int i = 0; i < reps; i++) {
                try (NDManager step = root.newSubManager()) {
                    long t = System.nanoTime();
                    NDArray s = q.batchMatMul(k);
                    s.attach(step); // freed when the step closes, as in the pipeline
                    s.get("0,0,0").getFloat(); // make sure it ran
                    long ms = (System.nanoTime() - t) / 1_000_000;
                    best = Math.min(best, ms);
                    total += ms;
                }
            }
            System.out.printf("batchMatMul %dx4096x40 @ %dx40x4096: best %d ms, mean %d ms over %d runs (GLIBC_TUNABLES=%s)%n",
                    heads, heads, best, total / reps, reps, System.getenv().getOrDefault("GLIBC_TUNABLES", "unset"));
        }
    }
}
