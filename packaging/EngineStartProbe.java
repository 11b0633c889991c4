import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Measurement tool (not part of the app): run with the app image's runtime and options, it prints how long the JVM
 * took to reach main, to start the PyTorch engine and to finish a first small op (the "engine ready" figure).
 */
public final class EngineStartProbe {
    public static void main(String[] args) {
        long t0 = System.nanoTime();
        long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        long toMain = System.currentTimeMillis() - jvmStart;
        Engine engine = Engine.getEngine("PyTorch");
        long engineMs = (System.nanoTime() - t0) / 1_000_000;
        try (NDManager m = engine.newBaseManager()) {
            m.randomNormal(new Shape(1, 4, 64, 64)).mul(2).sum().getFloat();
        }
        ai.djl.huggingface.tokenizers.jni.LibUtils.checkStatus();
        long readyMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("jvm-to-main %d ms, engine %d ms, engine+first-op+tokenizers %d ms (PyTorch %s, cache %s)%n",
                toMain, engineMs, readyMs, engine.getVersion(), System.getProperty("ENGINE_CACHE_DIR", "default"));
    }
}
