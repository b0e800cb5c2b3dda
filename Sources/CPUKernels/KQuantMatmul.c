// The K-quant matmuls, compiled once per instruction set from KQuantKernels.h, and their
// dispatch. Integer sums are exact in every variant and the float steps are the same
// operations in the same order, so both variants give the same bits (KQuantKernelTests).
#include "CPUKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include <string.h>

#define KQ_ATTR __attribute__((target("avx2,fma,f16c"), always_inline)) static inline
#define KQ_ENTRY __attribute__((target("avx2,fma,f16c")))
#define KQ_VNNI 0
#define KQ_VECTORS 4
#define KQ(name) name##_avx2
#include "KQuantKernels.h"
#undef KQ_ATTR
#undef KQ_ENTRY
#undef KQ_VNNI
#undef KQ_VECTORS
#undef KQ

#define KQ_TARGET "avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni"
#define KQ_ATTR __attribute__((target(KQ_TARGET), always_inline)) static inline
#define KQ_ENTRY __attribute__((target(KQ_TARGET)))
#define KQ_VNNI 1
// 32 vector registers: 8 vectors at a time share each unpacked block (16 left AVX2 at 4), and
// prefill takes two 8-row groups at a time on 512-bit registers (KQuantPairKernels.h), 16
// vectors sharing each unpacked pair of blocks (the accumulators live in L1 either way; the
// unpacking, a fifth of a Q6_K pair's instructions at 8 vectors, then costs half as much).
#define KQ_VECTORS 8
#define KQ_PAIR_VECTORS 16
#define KQ(name) name##_vnni
#include "KQuantKernels.h"

void genrm_k_x8_matmul(int isa, int kind, const void *groups, size_t groupBytes, size_t groupStart, size_t groupEnd,
                       genrm_k8_vectors vectors, size_t vectorStart, size_t vectorEnd,
                       float *out, size_t outStride) {
    if (isa == GENRM_ISA_AVX512_VNNI) {
        tile_vnni(kind, groups, groupBytes, groupStart, groupEnd, vectors, vectorStart, vectorEnd, out, outStride);
    } else {
        tile_avx2(kind, groups, groupBytes, groupStart, groupEnd, vectors, vectorStart, vectorEnd, out, outStride);
    }
}

__attribute__((target("avx2,fma,f16c")))
void genrm_k8_quantize_avx2(const float *x, size_t cols, int8_t *qs, float *d, int16_t *bsums) {
    const __m256 signBit = _mm256_set1_ps(-0.0f);
    const __m256 low = _mm256_set1_ps(-127.0f), high = _mm256_set1_ps(127.0f);
    for (size_t s = 0; s < cols / 256; s++) {
        const float *block = x + 256 * s;
        // NaN lanes never win: MAXPS returns its second operand when either is NaN.
        __m256 amax = _mm256_setzero_ps();
        for (int i = 0; i < 256; i += 8) {
            amax = _mm256_max_ps(_mm256_andnot_ps(signBit, _mm256_loadu_ps(block + i)), amax);
        }
        __m128 m = _mm_max_ps(_mm256_castps256_ps128(amax), _mm256_extractf128_ps(amax, 1));
        m = _mm_max_ps(m, _mm_movehl_ps(m, m));
        m = _mm_max_ss(m, _mm_shuffle_ps(m, m, 1));
        const float scale = _mm_cvtss_f32(m) / 127.0f;
        const __m256 inverse = _mm256_set1_ps(scale != 0.0f ? 1.0f / scale : 0.0f);
        d[s] = scale;
        int8_t *q = qs + 256 * s;
        for (int i = 0; i < 256; i += 8) {
            __m256 v = _mm256_mul_ps(_mm256_loadu_ps(block + i), inverse);
            v = _mm256_and_ps(v, _mm256_cmp_ps(v, v, _CMP_ORD_Q));  // NaN -> 0
            v = _mm256_min_ps(_mm256_max_ps(v, low), high);
            const __m256i n = _mm256_cvtps_epi32(_mm256_round_ps(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
            const __m128i n16 = _mm_packs_epi32(_mm256_castsi256_si128(n), _mm256_extracti128_si256(n, 1));
            _mm_storel_epi64((__m128i *)(q + i), _mm_packs_epi16(n16, n16));
        }
        for (int b = 0; b < 16; b++) {
            int sum = 0;
            for (int i = 0; i < 16; i++) sum += q[16 * b + i];
            bsums[16 * s + b] = (int16_t)sum;
        }
    }
}
#else
void genrm_k_x8_matmul(int isa, int kind, const void *groups, size_t groupBytes, size_t groupStart, size_t groupEnd,
                       genrm_k8_vectors vectors, size_t vectorStart, size_t vectorEnd,
                       float *out, size_t outStride) { __builtin_trap(); }
void genrm_k8_quantize_avx2(const float *x, size_t cols, int8_t *qs, float *d, int16_t *bsums) { __builtin_trap(); }
#endif
