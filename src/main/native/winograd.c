/*
 * libinpaint-winograd-<isa>.so: a 3x3, stride-1, pad-1 convolution by Winograd's F(4x4, 3x3) algorithm in float32
 * arithmetic (input and output float32 or bfloat16), for
 * com.inpaintstudio.tensor.WinogradKernel (JNA). Built by pom.xml (profile linux-x86_64-native, gcc) twice from this
 * one source: for AVX-512 and for AVX2+FMA; Java loads the one the CPU runs.
 *
 * Why: the VAE decoder's convolutions at 64-512 px are ~2.5 TFLOP per 512 px picture, and oneDNN's direct
 * convolution already runs them near this CPU's peak. F(4x4, 3x3) needs 36 products per 16 outputs instead of 144,
 * so the multiplications drop 4x; the price is the transforms. NNPACK (libtorch's Winograd) refuses CPUs it does not
 * know, and composing the transforms from libtorch ops costs more memory passes than the products save except at 512
 * channels, so the transforms are fused here: the image is cut into blocks of whole tile rows; for each block a worker
 * transforms the input tiles of all channels into a scratch V (36 x C x T), runs the 36 products M_p = U_p V_p
 * (U_p: K x C, the transformed weights) through the MKL sgemm inside libtorch (found with dlsym, single-threaded per
 * worker), and transforms M back into the output rows. A block is ~128 tiles, so V and M mostly stay in the caches.
 *
 * Vector code is written with GCC's generic 16-float vectors and __builtin_shuffle, so the same source compiles to
 * AVX-512 (one register per vector) and to AVX2 (two). 16 neighbouring tiles of one tile row share a vector.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

typedef float v16 __attribute__((vector_size(64)));
typedef float v16u __attribute__((vector_size(64), aligned(4)));
typedef int i16 __attribute__((vector_size(64)));

typedef void (*sgemm_fn)(const char *, const char *, const int *, const int *, const int *, const float *,
                         const float *, const int *, const float *, const int *, const float *, float *, const int *);
typedef int (*mkl_threads_fn)(int);

static sgemm_fn sgemm;
static mkl_threads_fn set_threads_local;

/* Finds MKL's sgemm_ in the already loaded libtorch_cpu.so at `path`. 0 on success, else a negative code. */
int wino_init(const char *path) {
    void *lib = dlopen(path, RTLD_LAZY | RTLD_NOLOAD);
    if (lib == NULL) {
        return -1;
    }
    sgemm = (sgemm_fn)dlsym(lib, "sgemm_");
    set_threads_local = (mkl_threads_fn)dlsym(lib, "MKL_Set_Num_Threads_Local") /* the C entry; the lower-case name is the Fortran one */;
    return sgemm != NULL && set_threads_local != NULL ? 0 : -2;
}

/* n values of row `src` (float32, or bfloat16 when bf16) from element `at` on, as float32 into dst. */
static inline void widen(float *dst, const void *src, long at, int n, int bf16) {
    if (!bf16) {
        memcpy(dst, (const float *)src + at, (size_t)n * sizeof(float));
        return;
    }
    const uint16_t *h = (const uint16_t *)src + at;
    for (int i = 0; i < n; i++) { /* a bfloat16 is the upper half of a float32 */
        uint32_t u = (uint32_t)h[i] << 16;
        memcpy(&dst[i], &u, sizeof u);
    }
}

/* n float32 values into dst (float32, or bfloat16 rounded to nearest even, as libtorch rounds) from element `at` on. */
static inline void narrow(void *dst, long at, const float *src, int n, int bf16) {
    if (!bf16) {
        memcpy((float *)dst + at, src, (size_t)n * sizeof(float));
        return;
    }
    uint16_t *h = (uint16_t *)dst + at;
    for (int i = 0; i < n; i++) {
        uint32_t u;
        memcpy(&u, &src[i], sizeof u);
        h[i] = (u & 0x7fffffffu) > 0x7f800000u ? (uint16_t)0x7fc0 : (uint16_t)((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
    }
}

static inline v16 load(const float *p) { return *(const v16u *)p; }
static inline void store(float *p, v16 v) { *(v16u *)p = v; }
static inline v16 splat(float f) { return (v16){f, f, f, f, f, f, f, f, f, f, f, f, f, f, f, f}; }

/* 1-D input transform B^T d of six values (points 0, +-1, +-2). */
#define IN6(d0, d1, d2, d3, d4, d5, t0, t1, t2, t3, t4, t5)                                                            \
    do {                                                                                                               \
        v16 a_ = d4 - 4.0f * d2, b_ = d3 - 4.0f * d1, c_ = d4 - d2, e_ = 2.0f * (d3 - d1);                             \
        t0 = 4.0f * d0 - 5.0f * d2 + d4;                                                                               \
        t1 = a_ + b_;                                                                                                  \
        t2 = a_ - b_;                                                                                                  \
        t3 = c_ + e_;                                                                                                  \
        t4 = c_ - e_;                                                                                                  \
        t5 = 4.0f * d1 - 5.0f * d3 + d5;                                                                               \
    } while (0)

/* 1-D output transform A^T m of six values to four. */
#define OUT6(m0, m1, m2, m3, m4, m5, o0, o1, o2, o3)                                                                   \
    do {                                                                                                               \
        v16 s1_ = m1 + m2, d1_ = m1 - m2, s2_ = m3 + m4, d2_ = m3 - m4;                                               \
        o0 = m0 + s1_ + s2_;                                                                                           \
        o1 = d1_ + 2.0f * d2_;                                                                                         \
        o2 = s1_ + 4.0f * s2_;                                                                                         \
        o3 = d1_ + 8.0f * d2_ + m5;                                                                                    \
    } while (0)

/* 1-D weight transform G g of three values to six. */
#define W3(g0, g1, g2, t0, t1, t2, t3, t4, t5)                                                                         \
    do {                                                                                                               \
        t0 = g0 * 0.25f;                                                                                               \
        t1 = (g0 + g1 + g2) * (-1.0f / 6.0f);                                                                          \
        t2 = (g0 - g1 + g2) * (-1.0f / 6.0f);                                                                          \
        t3 = g0 * (1.0f / 24.0f) + g1 * (1.0f / 12.0f) + g2 * (1.0f / 6.0f);                                           \
        t4 = g0 * (1.0f / 24.0f) - g1 * (1.0f / 12.0f) + g2 * (1.0f / 6.0f);                                           \
        t5 = g2;                                                                                                       \
    } while (0)

/* U[p][k][c] = (G w[k][c] G^T)_p for the 6x6 positions p, output rows [k0, k1); 16 input channels per vector. */
static void transform_weights(const float *w, int C, int k0, int k1, float *U, long plane) {
    for (int k = k0; k < k1; k++) {
        for (int c0 = 0; c0 < C; c0 += 16) {
            int n = C - c0 < 16 ? C - c0 : 16;
            float gs[9][16] __attribute__((aligned(64)));
            const float *g = w + ((long)k * C + c0) * 9;
            for (int c = 0; c < 16; c++) {
                for (int i = 0; i < 9; i++) {
                    gs[i][c] = c < n ? g[c * 9 + i] : 0.0f;
                }
            }
            v16 t[6][3];
            for (int j = 0; j < 3; j++) { /* G g: along the kernel's rows, per column j */
                v16 g0 = load(gs[j]), g1 = load(gs[3 + j]), g2 = load(gs[6 + j]);
                W3(g0, g1, g2, t[0][j], t[1][j], t[2][j], t[3][j], t[4][j], t[5][j]);
            }
            float *u = U + (long)k * C + c0;
            for (int i = 0; i < 6; i++) { /* then (G g) G^T along the columns */
                v16 o[6];
                W3(t[i][0], t[i][1], t[i][2], o[0], o[1], o[2], o[3], o[4], o[5]);
                for (int q = 0; q < 6; q++) {
                    if (n == 16) {
                        store(u + (i * 6 + q) * plane, o[q]);
                    } else {
                        memcpy(u + (i * 6 + q) * plane, &o[q], (size_t)n * sizeof(float));
                    }
                }
            }
        }
    }
}

/*
 * Scratch memory kept between calls: fresh pages cost a page fault each on first touch, which measured more than the
 * transforms themselves for a 512-channel convolution at 64 px. Up to 8 buffers and 192 MiB are kept (a VAE decode
 * needs ~80 MiB: 38 MiB of transformed 512x512 weights and ~21 MiB per worker), the larger ones first;
 * wino_release() frees them.
 */
#define SLOTS 8
#define POOL_BYTES (192UL << 20)
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static float *pool[SLOTS];
static size_t pool_size[SLOTS];

/* A buffer of at least `floats` floats, 64-byte aligned; *have is its real size, to hand back to scratch_give. */
static float *scratch_take(size_t floats, size_t *have) {
    float *best = NULL;
    pthread_mutex_lock(&pool_lock);
    int pick = -1;
    for (int i = 0; i < SLOTS; i++) {
        if (pool[i] != NULL && pool_size[i] >= floats && (pick < 0 || pool_size[i] < pool_size[pick])) {
            pick = i;
        }
    }
    if (pick >= 0) {
        best = pool[pick];
        *have = pool_size[pick];
        pool[pick] = NULL;
    }
    pthread_mutex_unlock(&pool_lock);
    if (best == NULL) {
        /* mapped, not malloc'ed: a buffer kept between calls never sits among the tensors' memory in malloc's heap */
        *have = (floats * sizeof(float) + 4095) / 4096 * 4096 / sizeof(float);
        void *p = mmap(NULL, *have * sizeof(float), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            return NULL;
        }
        madvise(p, *have * sizeof(float), MADV_HUGEPAGE);
        best = p;
    }
    return best;
}

static void unmap(float *p, size_t floats) {
    if (p != NULL) {
        munmap(p, floats * sizeof(float));
    }
}

static void scratch_give(float *p, size_t floats) {
    if (p == NULL) {
        return;
    }
    pthread_mutex_lock(&pool_lock);
    size_t kept = 0;
    for (int i = 0; i < SLOTS; i++) {
        kept += pool[i] != NULL ? pool_size[i] : 0;
    }
    /* make room: drop kept buffers smaller than this one, smallest first, while over the slots or the byte cap */
    for (;;) {
        int slot = -1, small = -1;
        for (int i = 0; i < SLOTS; i++) {
            if (pool[i] == NULL) {
                slot = i;
            } else if (small < 0 || pool_size[i] < pool_size[small]) {
                small = i;
            }
        }
        if (slot >= 0 && (kept + floats) * sizeof(float) <= POOL_BYTES) {
            pool[slot] = p;
            pool_size[slot] = floats;
            p = NULL;
            break;
        }
        if (small < 0 || pool_size[small] >= floats) {
            break; /* this one is the smallest: it goes */
        }
        kept -= pool_size[small];
        unmap(pool[small], pool_size[small]);
        pool[small] = NULL;
    }
    pthread_mutex_unlock(&pool_lock);
    unmap(p, floats);
}

/* Frees the scratch memory kept between calls. */
void wino_release(void) {
    pthread_mutex_lock(&pool_lock);
    for (int i = 0; i < SLOTS; i++) {
        unmap(pool[i], pool_size[i]);
        pool[i] = NULL;
        pool_size[i] = 0;
    }
    pthread_mutex_unlock(&pool_lock);
}

typedef struct {
    const void *x; /* float32, or bfloat16 when bf16 */
    const float *U, *bias;
    void *y; /* as x */
    int bf16;
    int C, H, W, K, tilesX, tilesY, rowsPerBlock, blocksPerImage, blocks, ldv;
    atomic_int next;
    atomic_int failed;
} job_t;

/* Input transform of one block: tile rows [ty0, ty1) of image plane xs, all channels, into V[36][C][ldv]. */
static void input_block(const job_t *j, const void *xs, int ty0, int ty1, float *V) {
    const int W = j->W, H = j->H, C = j->C, tilesX = j->tilesX;
    const long plane = (long)C * j->ldv;
    float buf[6][96] __attribute__((aligned(64)));
    static const i16 pick[4] = {
        {0, 4, 8, 12, 16, 20, 24, 28, 0, 0, 0, 0, 0, 0, 0, 0},
        {1, 5, 9, 13, 17, 21, 25, 29, 0, 0, 0, 0, 0, 0, 0, 0},
        {2, 6, 10, 14, 18, 22, 26, 30, 0, 0, 0, 0, 0, 0, 0, 0},
        {3, 7, 11, 15, 19, 23, 27, 31, 0, 0, 0, 0, 0, 0, 0, 0}};
    const i16 join = {0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23};
    const i16 next = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    for (int c = 0; c < C; c++) {
        const long xc = (long)c * H * W; /* the channel's first element in xs */
        float *vc = V + (long)c * j->ldv;
        int t = 0;
        for (int ty = ty0; ty < ty1; ty++) {
            for (int tx = 0; tx < tilesX; tx += 16, t += 16) {
                int col0 = tx * 4 - 1; /* buf[r][i] = x[4 ty - 1 + r][col0 + i], zero outside */
                int lo = col0 < 0 ? 0 : col0, hi = col0 + 80 > W ? W : col0 + 80;
                v16 d[6][6];
                for (int r = 0; r < 6; r++) {
                    int row = ty * 4 - 1 + r;
                    float *b = buf[r];
                    if (row < 0 || row >= H) {
                        memset(b, 0, sizeof buf[r]);
                    } else if (lo == col0 && hi == col0 + 80) {
                        widen(b, xs, xc + (long)row * W + col0, 80, j->bf16);
                    } else {
                        memset(b, 0, sizeof buf[r]);
                        widen(b + (lo - col0), xs, xc + (long)row * W + lo, hi - lo, j->bf16);
                    }
                    v16 a0 = load(b), a1 = load(b + 16), a2 = load(b + 32), a3 = load(b + 48), a4 = load(b + 64);
                    for (int k = 0; k < 4; k++) {
                        v16 p = __builtin_shuffle(a0, a1, pick[k]);
                        v16 q = __builtin_shuffle(a2, a3, pick[k]);
                        d[r][k] = __builtin_shuffle(p, q, join);
                    }
                    d[r][4] = __builtin_shuffle(d[r][0], a4, next);
                    v16 a4s = __builtin_shuffle(a4, a4, (i16){1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1});
                    d[r][5] = __builtin_shuffle(d[r][1], a4s, next);
                }
                v16 e[6][6];
                for (int r = 0; r < 6; r++) {
                    IN6(d[r][0], d[r][1], d[r][2], d[r][3], d[r][4], d[r][5], e[r][0], e[r][1], e[r][2], e[r][3],
                        e[r][4], e[r][5]);
                }
                for (int k = 0; k < 6; k++) {
                    v16 o0, o1, o2, o3, o4, o5;
                    IN6(e[0][k], e[1][k], e[2][k], e[3][k], e[4][k], e[5][k], o0, o1, o2, o3, o4, o5);
                    float *v = vc + t;
                    store(v + (0 * 6 + k) * plane, o0);
                    store(v + (1 * 6 + k) * plane, o1);
                    store(v + (2 * 6 + k) * plane, o2);
                    store(v + (3 * 6 + k) * plane, o3);
                    store(v + (4 * 6 + k) * plane, o4);
                    store(v + (5 * 6 + k) * plane, o5);
                }
            }
            t -= (tilesX + 15) / 16 * 16 - tilesX; /* the next row starts right after this row's real tiles */
        }
    }
}

/* Output transform of one block: M[36][K][ldv] back to rows of ys, plus the bias. */
static void output_block(const job_t *j, const float *M, int ty0, int ty1, void *ys) {
    const int W = j->W, H = j->H, K = j->K, tilesX = j->tilesX;
    const long plane = (long)K * j->ldv;
    float tmp[4][64] __attribute__((aligned(64)));
    const i16 lo = {0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23};
    const i16 hi = {8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31};
    const i16 q0 = {0, 1, 16, 17, 2, 3, 18, 19, 4, 5, 20, 21, 6, 7, 22, 23};
    const i16 q1 = {8, 9, 24, 25, 10, 11, 26, 27, 12, 13, 28, 29, 14, 15, 30, 31};
    for (int k = 0; k < K; k++) {
        const float *mk = M + (long)k * j->ldv;
        const long yk = (long)k * H * W; /* the channel's first element in ys */
        float *direct = j->bf16 ? NULL : (float *)ys + yk;
        v16 bias = splat(j->bias != NULL ? j->bias[k] : 0.0f);
        int t = 0;
        for (int ty = ty0; ty < ty1; ty++) {
            for (int tx = 0; tx < tilesX; tx += 16, t += 16) {
                v16 e[6][4];
                for (int r = 0; r < 6; r++) {
                    const float *m = mk + t + (long)r * 6 * plane;
                    OUT6(load(m), load(m + plane), load(m + 2 * plane), load(m + 3 * plane), load(m + 4 * plane),
                         load(m + 5 * plane), e[r][0], e[r][1], e[r][2], e[r][3]);
                }
                int col0 = tx * 4, cols = W - col0 < 64 ? W - col0 : 64;
                for (int i = 0; i < 4; i++) { /* column i of every tile: rows 0..3 of the output */
                    v16 o[4];
                    OUT6(e[0][i], e[1][i], e[2][i], e[3][i], e[4][i], e[5][i], o[0], o[1], o[2], o[3]);
                    for (int r = 0; r < 4; r++) {
                        e[r][i] = o[r]; /* e[r][i] now holds output row r, column i of the 16 tiles */
                    }
                }
                for (int r = 0; r < 4; r++) {
                    int row = ty * 4 + r;
                    if (row >= H) {
                        break;
                    }
                    v16 c0 = e[r][0] + bias, c1 = e[r][1] + bias, c2 = e[r][2] + bias, c3 = e[r][3] + bias;
                    v16 l01 = __builtin_shuffle(c0, c1, lo), h01 = __builtin_shuffle(c0, c1, hi);
                    v16 l23 = __builtin_shuffle(c2, c3, lo), h23 = __builtin_shuffle(c2, c3, hi);
                    float *dst = cols == 64 && direct != NULL ? direct + (long)row * W + col0 : tmp[r];
                    store(dst, __builtin_shuffle(l01, l23, q0));
                    store(dst + 16, __builtin_shuffle(l01, l23, q1));
                    store(dst + 32, __builtin_shuffle(h01, h23, q0));
                    store(dst + 48, __builtin_shuffle(h01, h23, q1));
                    if (dst == tmp[r]) {
                        narrow(ys, yk + (long)row * W + col0, tmp[r], cols, j->bf16);
                    }
                }
            }
            t -= (tilesX + 15) / 16 * 16 - tilesX;
        }
    }
}

static void *worker(void *arg) {
    job_t *j = (job_t *)arg;
    const long vsize = 36L * j->C * j->ldv, msize = 36L * j->K * j->ldv;
    size_t have;
    float *V = scratch_take((size_t)(vsize + msize), &have);
    if (V == NULL) {
        atomic_store(&j->failed, 1);
        return NULL;
    }
    float *M = V + vsize;
    int before = set_threads_local(1); /* MKL sequential in this worker: the workers are the parallelism */
    const float one = 1.0f, zero = 0.0f;
    for (int b; (b = atomic_fetch_add(&j->next, 1)) < j->blocks;) {
        int n = b / j->blocksPerImage, ty0 = (b % j->blocksPerImage) * j->rowsPerBlock;
        int ty1 = ty0 + j->rowsPerBlock < j->tilesY ? ty0 + j->rowsPerBlock : j->tilesY;
        int T = (ty1 - ty0) * j->tilesX;
        const size_t esize = j->bf16 ? 2 : 4;
        input_block(j, (const char *)j->x + (size_t)n * j->C * j->H * j->W * esize, ty0, ty1, V);
        for (int p = 0; p < 36; p++) { /* M_p (K x T) = U_p (K x C) V_p (C x T), row-major, as column-major */
            sgemm("N", "N", &T, &j->K, &j->C, &one, V + p * (long)j->C * j->ldv, &j->ldv,
                  j->U + p * (long)j->K * j->C, &j->C, &zero, M + p * (long)j->K * j->ldv, &j->ldv);
        }
        output_block(j, M, ty0, ty1, (char *)j->y + (size_t)n * j->K * j->H * j->W * esize);
    }
    set_threads_local(before);
    scratch_give(V, have);
    return NULL;
}

typedef struct {
    const float *w;
    float *U;
    int C, k0, k1;
    long plane;
} wjob_t;

static void *weight_worker(void *arg) {
    wjob_t *w = (wjob_t *)arg;
    transform_weights(w->w, w->C, w->k0, w->k1, w->U, w->plane);
    return NULL;
}

/*
 * y (N, K, H, W) = conv3x3(x (N, C, H, W), w (K, C, 3, 3), padding 1) + bias (K, or NULL), all contiguous; w and
 * bias float32, x and y float32, or bfloat16 when `bf16` (widened on reading, rounded to nearest even on writing; the
 * arithmetic is float32 either way), on `threads` threads (the caller's included). `tileTarget` is the number of
 * tiles a block aims at (0: the default). Returns 0, or -1 before wino_init succeeded, -2 when memory ran out.
 */
int wino_conv3x3(const void *x, int bf16, int N, int C, int H, int W, const float *w, const float *bias, int K,
                 void *y, int threads, int tileTarget) {
    if (sgemm == NULL) {
        return -1;
    }
    if (threads < 1) {
        threads = 1;
    }
    if (threads > 64) {
        threads = 64;
    }
    size_t haveU;
    float *U = scratch_take(36L * K * C, &haveU);
    if (U == NULL) {
        return -2;
    }
    pthread_t ids[64];
    wjob_t wj[64];
    int started = 0;
    for (int i = 0; i < threads; i++) {
        wj[i] = (wjob_t){w, U, C, (int)((long)K * i / threads), (int)((long)K * (i + 1) / threads), (long)K * C};
        if (i == threads - 1 || pthread_create(&ids[started], NULL, weight_worker, &wj[i]) != 0) {
            weight_worker(&wj[i]);
        } else {
            started++;
        }
    }
    for (int i = 0; i < started; i++) {
        pthread_join(ids[i], NULL);
    }
    job_t j;
    j.x = x;
    j.U = U;
    j.bias = bias;
    j.y = y;
    j.bf16 = bf16;
    j.C = C;
    j.H = H;
    j.W = W;
    j.K = K;
    j.tilesX = (W + 3) / 4;
    j.tilesY = (H + 3) / 4;
    int target = tileTarget > 0 ? tileTarget : 128;
    int rows = (target + j.tilesX / 2) / j.tilesX;
    if (rows < 1) {
        rows = 1;
    }
    /* at least two blocks per thread where the image allows it, so no thread idles at the end */
    while (rows > 1 && (long)N * ((j.tilesY + rows - 1) / rows) < 2L * threads) {
        rows--;
    }
    j.rowsPerBlock = rows;
    j.blocksPerImage = (j.tilesY + rows - 1) / rows;
    j.blocks = N * j.blocksPerImage;
    j.ldv = (rows * j.tilesX + 15 + 15) / 16 * 16; /* room for the last vector's spill past T */
    atomic_init(&j.next, 0);
    atomic_init(&j.failed, 0);
    started = 0;
    for (int i = 1; i < threads && i < j.blocks; i++) {
        if (pthread_create(&ids[started], NULL, worker, &j) == 0) {
            started++;
        }
    }
    worker(&j);
    for (int i = 0; i < started; i++) {
        pthread_join(ids[i], NULL);
    }
    scratch_give(U, haveU);
    return atomic_load(&j.failed) ? -2 : 0;
}
