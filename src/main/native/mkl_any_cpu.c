/*
 * libinpaint-mkl-any-cpu.so: one function, loaded by com.inpaintstudio.tensor.MklAnyCpu (JNA, RTLD_GLOBAL) before
 * the first MKL call of the bundled libtorch.
 *
 * The MKL statically linked into libtorch_cpu.so picks its code path (SSE2 ... AVX-512) from the CPU's feature
 * flags only when this service routine says the CPU is Intel's; on any other vendor it takes its generic path,
 * which measured 18 GFLOP/s per thread on an AVX-512 AMD EPYC where its AVX-512 path gives about twice that
 * throughput in libtorch's fused attention. libtorch_cpu.so reaches the routine through its PLT, and a symbol in the
 * global scope wins over the library's own, so with this library loaded MKL chooses by features alone, as it does on
 * Intel CPUs.
 *
 * Built by pom.xml (profile linux-x86_64-native, gcc) into the jar's com/inpaintstudio/tensor/native/.
 */
int mkl_serv_intel_cpu_true(void) {
    return 1;
}
