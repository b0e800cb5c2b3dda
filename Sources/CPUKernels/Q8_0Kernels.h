// The body of the Q8_0 kernels, included by Q8_0Matmul.c once per instruction set: Q8(name)
// suffixes every function, Q8_ATTR / Q8_ENTRY carry the target attribute, Q8_VNNI picks the
// byte dot product and Q8_VECTORS how many activation vectors share one loaded block.
//
// Layout (InterleavedRows.swift), 288 B per 32-weight block of an 8-row group: d[8] f16 |
// sum[8] int16 | 8 chunks of 32 B at offset 32, lane r of chunk c = weights 4c..<4c+4 of row r.
//
// Both sum each block's products exactly in int32 and take the same float steps in the same
// order (fmadd of the integer dot by d * d_a per block), so they give the same bits:
// - VNNI: vpdpbusd multiplies unsigned by signed bytes, so the activations come as codes + 128
//   and each row's code sum (in the layout) takes 128 * sum back out:
//   sum (a + 128) w - 128 sum w = sum a w, exactly.
// - AVX2: vpmaddubsw multiplies unsigned by signed bytes into int16 pairs, so each weight's sign
//   moves onto its activation (vpsignb) and the weight's magnitude (<= 128) is the unsigned
//   side; a pair then reaches 2 * 128 * 127 = 32512, and vpmaddwd by ones widens every chunk.

Q8_ATTR __m256i Q8(bcast4)(const uint8_t *a) {
    int32_t v;
    memcpy(&v, a, 4);
    return _mm256_set1_epi32(v);
}

/// One 8-row group dotted with `n` (1, 4 or Q8_VECTORS) vectors from v0; results to
/// out + v * outStride + offset.
Q8_ATTR void Q8(group)(const uint8_t *group, size_t blocks, genrm_q8_vectors a, size_t v0, const int n,
                       float *out, size_t outStride, size_t offset) {
    __m256 acc[Q8_VECTORS];
    for (int v = 0; v < n; v++) acc[v] = _mm256_setzero_ps();
    for (size_t j = 0; j < blocks; j++) {
        const uint8_t *block = group + Q8_BLOCK_BYTES * j;
        __m256i w[8];
        for (int c = 0; c < 8; c++) w[c] = _mm256_loadu_si256((const __m256i *)(block + 32 + 32 * c));
#if Q8_VNNI
        const __m256i correction = _mm256_slli_epi32(_mm256_cvtepi16_epi32(_mm_loadu_si128((const __m128i *)(block + 16))), 7);
#else
        __m256i magnitude[8];
        for (int c = 0; c < 8; c++) magnitude[c] = _mm256_abs_epi8(w[c]);
        const __m256i ones = _mm256_set1_epi16(1);
#endif
        const __m256 d = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)block));
        for (int v = 0; v < n; v++) {
            const uint8_t *x = a.qs + (v0 + v) * a.cols + 32 * j;
            __m256i isum = _mm256_setzero_si256();
#if Q8_VNNI
            for (int c = 0; c < 8; c++) isum = _mm256_dpbusd_epi32(isum, Q8(bcast4)(x + 4 * c), w[c]);
            isum = _mm256_sub_epi32(isum, correction);
#else
            for (int c = 0; c < 8; c++) {
                const __m256i pairs = _mm256_maddubs_epi16(magnitude[c], _mm256_sign_epi8(Q8(bcast4)(x + 4 * c), w[c]));
                isum = _mm256_add_epi32(isum, _mm256_madd_epi16(pairs, ones));
            }
#endif
            const __m256 da = _mm256_set1_ps(a.d[(v0 + v) * (a.cols / 32) + j]);
            acc[v] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(isum), _mm256_mul_ps(d, da), acc[v]);
        }
    }
    for (int v = 0; v < n; v++) _mm256_storeu_ps(out + (v0 + v) * outStride + offset, acc[v]);
}

Q8_ENTRY static void Q8(tile)(const void *groups, size_t groupBytes, size_t groupStart, size_t groupEnd,
                              genrm_q8_vectors vectors, size_t vectorStart, size_t vectorEnd,
                              float *out, size_t outStride) {
    const size_t blocks = vectors.cols / 32;
    for (size_t g = groupStart; g < groupEnd; g++) {
        const uint8_t *group = (const uint8_t *)groups + g * groupBytes;
        size_t v = vectorStart;
        for (; v + Q8_VECTORS <= vectorEnd; v += Q8_VECTORS) Q8(group)(group, blocks, vectors, v, Q8_VECTORS, out, outStride, 8 * g);
        for (; v + 4 <= vectorEnd; v += 4) Q8(group)(group, blocks, vectors, v, 4, out, outStride, 8 * g);
        for (; v < vectorEnd; v++) Q8(group)(group, blocks, vectors, v, 1, out, outStride, 8 * g);
    }
}
