// The Q8_0 matmul for AVX-512 VNNI (AVX2 machines run the Swift Q8_0Group kernel on the same
// layout). vpdpbusd multiplies unsigned by signed bytes, so the activations come as codes + 128
// and each row's code sum (in the layout) takes 128 * sum back out:
// sum (a + 128) w - 128 sum w = sum a w, exactly. The float steps are Q8_0Group's, in its
// order (fmadd of the integer dot by d * d_a per block), so both give the same bits.
//
// Layout (InterleavedRows.swift), 288 B per 32-weight block of an 8-row group: d[8] f16 |
// sum[8] int16 | 8 chunks of 32 B at offset 32, lane r of chunk c = weights 4c..<4c+4 of row r.
#include "CPUKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include <string.h>

#define Q8_TARGET "avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni"
#define Q8_ATTR __attribute__((target(Q8_TARGET), always_inline)) static inline
#define Q8_BLOCK_BYTES 288
/// Activation vectors sharing each loaded block (32 vector registers).
#define Q8_VECTORS 8

Q8_ATTR __m256i q8_bcast4(const uint8_t *a) {
    int32_t v;
    memcpy(&v, a, 4);
    return _mm256_set1_epi32(v);
}

/// One 8-row group dotted with `n` (1 or Q8_VECTORS) vectors from v0; results to
/// out + v * outStride + offset.
Q8_ATTR void q8_group(const uint8_t *group, size_t blocks, genrm_q8_vectors a, size_t v0, const int n,
                      float *out, size_t outStride, size_t offset) {
    __m256 acc[Q8_VECTORS];
    for (int v = 0; v < n; v++) acc[v] = _mm256_setzero_ps();
    for (size_t j = 0; j < blocks; j++) {
        const uint8_t *block = group + Q8_BLOCK_BYTES * j;
        __m256i w[8];
        for (int c = 0; c < 8; c++) w[c] = _mm256_loadu_si256((const __m256i *)(block + 32 + 32 * c));
        const __m256i correction = _mm256_slli_epi32(_mm256_cvtepi16_epi32(_mm_loadu_si128((const __m128i *)(block + 16))), 7);
        const __m256 d = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)block));
        for (int v = 0; v < n; v++) {
            const uint8_t *x = a.qs + (v0 + v) * a.cols + 32 * j;
            __m256i isum = _mm256_setzero_si256();
            for (int c = 0; c < 8; c++) isum = _mm256_dpbusd_epi32(isum, q8_bcast4(x + 4 * c), w[c]);
            const __m256 da = _mm256_set1_ps(a.d[(v0 + v) * (a.cols / 32) + j]);
            acc[v] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_sub_epi32(isum, correction)), _mm256_mul_ps(d, da), acc[v]);
        }
    }
    for (int v = 0; v < n; v++) _mm256_storeu_ps(out + (v0 + v) * outStride + offset, acc[v]);
}

__attribute__((target(Q8_TARGET)))
void genrm_q8_0_x8_matmul_vnni(const void *groups, size_t groupBytes, size_t groupStart, size_t groupEnd,
                               genrm_q8_vectors vectors, size_t vectorStart, size_t vectorEnd,
                               float *out, size_t outStride) {
    const size_t blocks = vectors.cols / 32;
    for (size_t g = groupStart; g < groupEnd; g++) {
        const uint8_t *group = (const uint8_t *)groups + g * groupBytes;
        size_t v = vectorStart;
        for (; v + Q8_VECTORS <= vectorEnd; v += Q8_VECTORS) q8_group(group, blocks, vectors, v, Q8_VECTORS, out, outStride, 8 * g);
        for (; v < vectorEnd; v++) q8_group(group, blocks, vectors, v, 1, out, outStride, 8 * g);
    }
}
#else
void genrm_q8_0_x8_matmul_vnni(const void *groups, size_t groupBytes, size_t groupStart, size_t groupEnd,
                               genrm_q8_vectors vectors, size_t vectorStart, size_t vectorEnd,
                               float *out, size_t outStride) { __builtin_trap(); }
#endif
