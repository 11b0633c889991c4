import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

/**
 * Build-time tool (not part of the app): starts DJL's PyTorch engine and loads the HF tokenizers library once, so
 * that DJL lays out its native engine cache under {@code -DENGINE_CACHE_DIR}. build-installers.sh ships that folder
 * inside the app image and points the app at it, so the installed app never extracts ~450 MB into the user's home.
 */
public final class NativeCacheWarmer {
    public static void main(String[] args) {
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager m = engine.newBaseManager()) {
            float sum = m.ones(new ai.djl.ndarray.types.Shape(4, 4)).sum().getFloat();
            if (sum != 16f) {
                throw new IllegalStateException("PyTorch engine computed " + sum + " for 4x4 ones.sum()");
            }
        }
        ai.djl.huggingface.tokenizers.jni.LibUtils.checkStatus();
        System.out.println("engine cache ready: PyTorch " + engine.getVersion());
    }
}
