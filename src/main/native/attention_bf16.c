/*
 * softmax(q k^T * scale) v for bfloat16 q, k, v on CPUs with AVX-512 BF16, flash-attention style: each group of 4
 * query rows walks the keys in blocks of 64, keeping a running row maximum and sum, so no N x M score matrix exists.
 * Both products use VDPBF16PS (pairs of bf16 multiplied and added into float32 lanes); the scores, the softmax and the
 * output accumulators are float32, the probabilities are rounded to bf16 for the second product (as libtorch's CPU
 * flash attention does), the output is rounded to nearest even once at the end.
 *
 * Layout: q (B, N, H*d), k and v (B, M, H*d), out (B, N, H*d), all contiguous: the projections as the attention layer
 * makes them, so the heads need no transposes and the output is what the out-projection reads. Keys and values are
 * first repacked per head into pair-interleaved panels (K: 16 keys x (d/2) pairs per panel; V: per key pair, d
 * columns of (v[2j][c], v[2j+1][c])) that the inner loops read with plain vector loads.
 */
#include <immintrin.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#define BC 64      /* keys per block */
#define RG 4       /* query rows per register group */
#define RB 64      /* query rows per task */
#define MAXD 512   /* largest head size */
#define MAXT 64
#define LAZY 12.0f /* how far (in powers of 2) a row's maximum may grow before the running sums are rescaled */
#define LOG2E 1.44269504088896341f

typedef struct {
    const uint16_t *q, *k, *v;
    uint16_t *out;
    uint32_t *kp, *vp;  /* packs, one slice per (b, h) */
    int B, N, M, H, d, dp; /* dp: d rounded up to 16 */
    float scale;
    long next0, next1;  /* task range of one worker */
    int bh0, bh1;       /* pack range of one worker */
} job_t;

static long kpack_size(const job_t *j) { return (long)j->M * (j->d / 2); }
static long vpack_size(const job_t *j) { return (long)(j->M / 2) * j->dp; }

/* 2^x for float32 lanes, x <= LAZY: 2^n * p(x - n), a degree-5 polynomial on |x - n| <= 1/2 (relative error
   < 3e-6, far below bf16's 4e-3); very negative x give 0 through scalef */
static inline __m512 exp2_512(__m512 x) {
    __m512 n = _mm512_roundscale_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_sub_ps(x, n);
    __m512 p = _mm512_set1_ps(1.3333558146428443e-3f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(9.6181291076284772e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.5504108664821580e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(2.4022650695910071e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(6.9314718055994531e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
    return _mm512_scalef_ps(p, n);
}

static void pack_head(const job_t *j, int bh) {
    int b = bh / j->H, h = bh % j->H, d = j->d, P = d / 2, HD = j->H * d;
    uint32_t *kp = j->kp + (long)bh * kpack_size(j);
    uint32_t *vp = j->vp + (long)bh * vpack_size(j);
    for (int key = 0; key < j->M; key++) {
        const uint16_t *row = j->k + ((long)b * j->M + key) * HD + (long)h * d;
        uint32_t *dst = kp + (long)(key / 16) * P * 16 + (key % 16);
        for (int p = 0; p < P; p++) {
            uint32_t pair;
            memcpy(&pair, row + 2 * p, 4);
            dst[p * 16] = pair;
        }
    }
    for (int kp2 = 0; kp2 < j->M / 2; kp2++) {
        const uint16_t *r0 = j->v + ((long)b * j->M + 2 * kp2) * HD + (long)h * d;
        const uint16_t *r1 = r0 + HD;
        uint32_t *dst = vp + (long)kp2 * j->dp;
        for (int c = 0; c < d; c++) {
            dst[c] = (uint32_t)r0[c] | ((uint32_t)r1[c] << 16);
        }
        for (int c = d; c < j->dp; c++) {
            dst[c] = 0;
        }
    }
}

static void *pack_worker(void *arg) {
    job_t *j = arg;
    for (int bh = j->bh0; bh < j->bh1; bh++) {
        pack_head(j, bh);
    }
    return NULL;
}

static inline float hmax(__m512 a) { return _mm512_reduce_max_ps(a); }
static inline float hsum(__m512 a) { return _mm512_reduce_add_ps(a); }

/*
 * O[r][0 .. 16*TN) += sum over the block's key pairs of p[r][pair] * v[pair][same columns], TN (1-3) vectors of 16
 * columns; TN is a constant at each call, so the accumulators live in registers. The probabilities stay in registers
 * too: each key pair's (p[2i], p[2i+1]) is broadcast by a lane permute (storing them and reloading 32-bit pairs
 * stalls: a wide store does not forward to narrow loads).
 */
static inline __attribute__((always_inline)) void pv_chunk(const int TN, float *O, int dp, const uint32_t *vpb,
                                                           __m512i pb[RG][BC / 32]) {
    __m512 acc[RG][3];
    for (int r = 0; r < RG; r++) {
        for (int t = 0; t < TN; t++) {
            acc[r][t] = _mm512_loadu_ps(O + r * dp + 16 * t);
        }
    }
    for (int half = 0; half < BC / 32; half++) {
        for (int i = 0; i < 16; i++) {
            const uint32_t *row = vpb + (long)(half * 16 + i) * dp;
            __m512i vv[3];
            for (int t = 0; t < TN; t++) {
                vv[t] = _mm512_loadu_si512(row + 16 * t);
            }
            __m512i idx = _mm512_set1_epi32(i);
            for (int r = 0; r < RG; r++) {
                __m512i pp = _mm512_permutexvar_epi32(idx, pb[r][half]);
                for (int t = 0; t < TN; t++) {
                    acc[r][t] = _mm512_dpbf16_ps(acc[r][t], (__m512bh)vv[t], (__m512bh)pp);
                }
            }
        }
    }
    for (int r = 0; r < RG; r++) {
        for (int t = 0; t < TN; t++) {
            _mm512_storeu_ps(O + r * dp + 16 * t, acc[r][t]);
        }
    }
}

/* rows [r0, r0 + RG) of head (b, h); r0 + RG <= N */
static void row_group(const job_t *j, int b, int h, int r0, float *O /* RG x dp */) {
    const int d = j->d, P = d / 2, HD = j->H * d, dp = j->dp, nv = dp / 16;
    const int bh = b * j->H + h;
    const uint32_t *kp = j->kp + (long)bh * kpack_size(j);
    const uint32_t *vp = j->vp + (long)bh * vpack_size(j);
    const uint32_t *qrow[RG];
    for (int r = 0; r < RG; r++) {
        qrow[r] = (const uint32_t *)(j->q + ((long)b * j->N + r0 + r) * HD + (long)h * d);
    }
    float m[RG];
    __m512 lsum[RG];
    for (int r = 0; r < RG; r++) {
        m[r] = -INFINITY;
        lsum[r] = _mm512_setzero_ps();
    }
    memset(O, 0, sizeof(float) * RG * dp);
    __m512i pb[RG][BC / 32];
    const __m512 scale2 = _mm512_set1_ps(j->scale * LOG2E);
    for (int kb = 0; kb < j->M / BC; kb++) {
        __m512 s[RG][4];
        for (int r = 0; r < RG; r++) {
            for (int c = 0; c < 4; c++) {
                s[r][c] = _mm512_setzero_ps();
            }
        }
        const uint32_t *kpb = kp + (long)kb * 4 * P * 16;
        for (int p = 0; p < P; p++) {
            __m512i kv[4];
            for (int c = 0; c < 4; c++) {
                kv[c] = _mm512_loadu_si512(kpb + ((long)c * P + p) * 16);
            }
            for (int r = 0; r < RG; r++) {
                __m512i qb = _mm512_set1_epi32((int)qrow[r][p]);
                for (int c = 0; c < 4; c++) {
                    s[r][c] = _mm512_dpbf16_ps(s[r][c], (__m512bh)kv[c], (__m512bh)qb);
                }
            }
        }
        for (int r = 0; r < RG; r++) {
            /* scores in log2 units (scale * log2 e folded in). The reference maximum m moves only when a score exceeds
               it by more than LAZY: probabilities then stay <= 2^LAZY (fine in float32 and bf16), and most blocks
               need neither a horizontal maximum nor a rescaling of O and the sums, just one compare */
            __m512 vmax = _mm512_max_ps(_mm512_max_ps(s[r][0], s[r][1]), _mm512_max_ps(s[r][2], s[r][3]));
            if (_mm512_cmp_ps_mask(_mm512_mul_ps(vmax, scale2), _mm512_set1_ps(m[r] + LAZY), _CMP_GT_OQ)) {
                float mx = hmax(vmax) * j->scale * LOG2E;
                __m512 av = _mm512_set1_ps(m[r] == -INFINITY ? 0.0f : exp2f(m[r] - mx));
                m[r] = mx;
                lsum[r] = _mm512_mul_ps(lsum[r], av);
                for (int t = 0; t < nv; t++) {
                    _mm512_storeu_ps(O + r * dp + 16 * t, _mm512_mul_ps(_mm512_loadu_ps(O + r * dp + 16 * t), av));
                }
            }
            __m512 mv = _mm512_set1_ps(m[r]);
            for (int c = 0; c < 4; c++) {
                s[r][c] = exp2_512(_mm512_fmsub_ps(s[r][c], scale2, mv));
                lsum[r] = _mm512_add_ps(lsum[r], s[r][c]);
            }
            for (int c = 0; c < 4; c += 2) {
                pb[r][c / 2] = (__m512i)_mm512_cvtne2ps_pbh(s[r][c + 1], s[r][c]);
            }
        }
        const uint32_t *vpb = vp + (long)kb * (BC / 2) * dp;
        int t0 = 0;
        for (; t0 + 3 <= nv; t0 += 3) {
            pv_chunk(3, O + 16 * t0, dp, vpb + 16 * t0, pb);
        }
        if (nv - t0 == 2) {
            pv_chunk(2, O + 16 * t0, dp, vpb + 16 * t0, pb);
        } else if (nv - t0 == 1) {
            pv_chunk(1, O + 16 * t0, dp, vpb + 16 * t0, pb);
        }
    }
    for (int r = 0; r < RG; r++) {
        uint16_t *dst = j->out + ((long)b * j->N + r0 + r) * HD + (long)h * d;
        __m512 inv = _mm512_set1_ps(1.0f / hsum(lsum[r]));
        for (int c = 0; c < d; c += 16) {
            __m256bh y = _mm512_cvtneps_pbh(_mm512_mul_ps(_mm512_loadu_ps(O + r * dp + c), inv));
            __mmask16 mask = d - c >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << (d - c)) - 1);
            _mm256_mask_storeu_epi16(dst + c, mask, (__m256i)y);
        }
    }
}

static void *worker(void *arg) {
    job_t *j = arg;
    float O[RG * MAXD] __attribute__((aligned(64)));
    long tasksPerHead = (j->N + RB - 1) / RB;
    for (long task = j->next0; task < j->next1; task++) {
        int bh = (int)(task / tasksPerHead);
        int rs = (int)(task % tasksPerHead) * RB;
        int re = rs + RB < j->N ? rs + RB : j->N;
        for (int r0 = rs; r0 < re; r0 += RG) {
            row_group(j, bh / j->H, bh % j->H, r0, O);
        }
    }
    return NULL;
}

/* fn(&jobs[i]) for every i, on threads of their own and the caller's (inline where a thread cannot be made) */
static void fan_out(void *(*fn)(void *), job_t *jobs, int threads) {
    pthread_t ids[MAXT];
    int started = 0;
    for (int i = 1; i < threads; i++) {
        if (pthread_create(&ids[started], NULL, fn, &jobs[i]) == 0) {
            started++;
        } else {
            fn(&jobs[i]);
        }
    }
    fn(&jobs[0]);
    for (int i = 0; i < started; i++) {
        pthread_join(ids[i], NULL);
    }
}

/*
 * Returns 0, or -1 when the shapes are not supported (N % 4, M % 64, d odd or above 512), -2 when scratch memory
 * could not be had. `threads` counts the caller.
 */
int attn_bf16(const void *q, const void *k, const void *v, void *out, int B, int N, int M, int H, int d,
              float scale, int threads) {
    if (B < 1 || N < RG || N % RG != 0 || M < BC || M % BC != 0 || H < 1 || d < 2 || d % 2 != 0 || d > MAXD) {
        return -1;
    }
    if (threads < 1) {
        threads = 1;
    }
    if (threads > MAXT) {
        threads = MAXT;
    }
    job_t base = {q, k, v, out, NULL, NULL, B, N, M, H, d, (d + 15) / 16 * 16, scale, 0, 0, 0, 0};
    long heads = (long)B * H;
    size_t bytes = (size_t)heads * (size_t)(kpack_size(&base) + vpack_size(&base)) * 4;
    uint32_t *scratch = aligned_alloc(64, (bytes + 63) / 64 * 64);
    if (scratch == NULL) {
        return -2;
    }
    base.kp = scratch;
    base.vp = scratch + heads * kpack_size(&base);

    job_t jobs[MAXT];
    for (int i = 0; i < threads; i++) {
        jobs[i] = base;
        jobs[i].bh0 = (int)(heads * i / threads);
        jobs[i].bh1 = (int)(heads * (i + 1) / threads);
    }
    fan_out(pack_worker, jobs, threads);
    long tasks = heads * ((N + RB - 1) / RB);
    for (int i = 0; i < threads; i++) {
        jobs[i].next0 = tasks * i / threads;
        jobs[i].next1 = tasks * (i + 1) / threads;
    }
    fan_out(worker, jobs, threads);
    free(scratch);
    return 0;
}
