package com.inpaintstudio.tensor;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.inpaintstudio.errors.EngineUnavailableException;

/**
 * The one entry point to DJL. Forces offline mode before any DJL class loads (DJL's engine start
 * otherwise opens network connections) and hands out the PyTorch engine and managers.
 */
public final class DjlRuntime {
    static {
        ensureOffline();
    }

    private static volatile Engine engine;

    private DjlRuntime() {}

    /** Sets {@code ai.djl.offline=true} unless the user explicitly chose otherwise. Safe to call often. */
    public static void ensureOffline() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }

    /**
     * The PyTorch engine, started once (extracts the bundled libtorch on first use), with MKL's vendor check lifted
     * first where that applies ({@link MklAnyCpu}).
     */
    public static Engine engine() {
        Engine e = engine;
        if (e == null) {
            synchronized (DjlRuntime.class) {
                e = engine;
                if (e == null) {
                    ensureOffline();
                    MklAnyCpu.load(); // before libtorch's first MKL call picks MKL's code path
                    try {
                        e = Engine.getEngine("PyTorch");
                    } catch (RuntimeException | UnsatisfiedLinkError ex) {
                        throw new EngineUnavailableException(
                                "Could not start the PyTorch engine (" + ex.getMessage() + "). The natives are bundled in the "
                                        + "pytorch-native-cpu jar and extracted to DJL_CACHE_DIR (default ~/.djl.ai); check that "
                                        + "this folder is writable and has ~500 MB free.", ex);
                    }
                    engine = e;
                }
            }
        }
        return e;
    }

    /** The path of the bundled libtorch_cpu.so (where MKL and oneDNN live); starts the engine. */
    public static String libtorchCpu() {
        engine();
        return java.nio.file.Path.of(ai.djl.pytorch.jni.LibUtils.getLibtorchPath(), "libtorch_cpu.so").toString();
    }

    /** A new root manager on the CPU. Close it (try-with-resources) when its arrays are no longer needed. */
    public static NDManager newManager() {
        return engine().newBaseManager();
    }

    /**
     * Seeds the engine's global generator exactly as {@code torch.manual_seed(seed)} does, with the 64-bit value
     * (DJL's {@code Engine.setRandomSeed(int)} narrows it first; torch's CPU mt19937 itself uses the low 32 bits).
     */
    public static void seed(long seed) {
        engine();
        ai.djl.pytorch.jni.JniUtils.setSeed(seed);
    }
}
