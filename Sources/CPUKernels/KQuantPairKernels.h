// The K-quant prefill kernels on 512-bit registers, included by KQuantMatmul.c into the VNNI
// variant only, after KQuantKernels.h: two neighbouring 8-row groups (rows 8g..<8g + 16) at a
// time, group g in the low 256 bits, g + 1 in the high, the same activation bytes broadcast to
// all 16 lanes. Per lane these are the operations of q45k_group / q6k_group in their order, so
// the results are the same bits; what changes is that one instruction does the work of two
// (fewer broadcasts, scale multiplies and adds per multiply-accumulate).

/// 32 bytes at a (group g) and at b (group g + 1) as one register.
KQ_ATTR __m512i KQ(pair_load)(const uint8_t *a, const uint8_t *b) {
    return _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_loadu_si256((const __m256i *)a)),
                              _mm256_loadu_si256((const __m256i *)b), 1);
}

/// 8 bytes at a and 8 at b (one per row of each group), widened to 16 int32 lanes.
KQ_ATTR __m512i KQ(pair_u8)(const uint8_t *a, const uint8_t *b) {
    return _mm512_cvtepu8_epi32(_mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)a), _mm_loadl_epi64((const __m128i *)b)));
}

KQ_ATTR __m512i KQ(pair_i8)(const uint8_t *a, const uint8_t *b) {
    return _mm512_cvtepi8_epi32(_mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)a), _mm_loadl_epi64((const __m128i *)b)));
}

/// 8 f16 values at a and 8 at b as 16 floats.
KQ_ATTR __m512 KQ(pair_f16)(const uint8_t *a, const uint8_t *b) {
    return _mm512_cvtph_ps(_mm256_inserti128_si256(_mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)a)),
                                                   _mm_loadu_si128((const __m128i *)b), 1));
}

KQ_ATTR __m512i KQ(pair_ymm)(__m256i low, __m256i high) {
    return _mm512_inserti64x4(_mm512_castsi256_si512(low), high, 1);
}

KQ_ATTR __m512i KQ(bcast4_512)(const int8_t *a) {
    int32_t v;
    memcpy(&v, a, 4);
    return _mm512_set1_epi32(v);
}

/// Groups g (at ga) and g + 1 (at gb) of Q4_K (or, with fiveBit, Q5_K) dotted with KQ_PAIR_VECTORS
/// vectors from v0; results to out + v * outStride + offset (16 floats).
KQ_ATTR void KQ(q45k_pair)(const uint8_t *ga, const uint8_t *gb, size_t superBlocks, genrm_k8_vectors a, size_t v0,
                           float *out, size_t outStride, size_t offset, const int fiveBit) {
    const size_t blockBytes = fiveBit ? Q5K_GROUP_BYTES : Q4K_GROUP_BYTES, subBlockBytes = fiveBit ? 160 : 128;
    __m512 acc[KQ_PAIR_VECTORS];
    for (int v = 0; v < KQ_PAIR_VECTORS; v++) acc[v] = _mm512_setzero_ps();
    const __m512i mask = _mm512_set1_epi8(0x0F);
    for (size_t s = 0; s < superBlocks; s++) {
        const uint8_t *blockA = ga + blockBytes * s, *blockB = gb + blockBytes * s;
        __m512i isum[KQ_PAIR_VECTORS];
        for (int v = 0; v < KQ_PAIR_VECTORS; v++) isum[v] = _mm512_setzero_si512();
        for (int k = 0; k < 8; k++) {
            const uint8_t *chunksA = blockA + 160 + subBlockBytes * k, *chunksB = blockB + 160 + subBlockBytes * k;
            __m512i lo[4], hi[4];
            for (int c = 0; c < 4; c++) {
                const __m512i x = KQ(pair_load)(chunksA + 32 * c, chunksB + 32 * c);
                lo[c] = _mm512_and_si512(x, mask);
                hi[c] = _mm512_and_si512(_mm512_srli_epi16(x, 4), mask);
            }
            if (fiveBit) {
                const __m512i fifth = _mm512_set1_epi8(0x10);
                const __m512i bits = KQ(pair_load)(chunksA + 128, chunksB + 128);
                for (int c = 0; c < 4; c++) {
                    const __m512i h = _mm512_srli_epi16(bits, c);
                    lo[c] = _mm512_or_si512(lo[c], _mm512_and_si512(_mm512_slli_epi16(h, 4), fifth));
                    hi[c] = _mm512_or_si512(hi[c], _mm512_and_si512(h, fifth));
                }
            }
            const __m512i scale = KQ(pair_u8)(blockA + 32 + 8 * k, blockB + 32 + 8 * k);
            for (int v = 0; v < KQ_PAIR_VECTORS; v++) {
                const int8_t *x = KQ(codes)(a, v0 + v, s) + 32 * k;
                __m512i dot = _mm512_setzero_si512();
                for (int c = 0; c < 4; c++) {
                    dot = _mm512_dpbusd_epi32(dot, lo[c], KQ(bcast4_512)(x + 4 * c));
                    dot = _mm512_dpbusd_epi32(dot, hi[c], KQ(bcast4_512)(x + 16 + 4 * c));
                }
                isum[v] = _mm512_add_epi32(isum[v], _mm512_mullo_epi32(dot, scale));
            }
        }
        __m512i mins[4];
        for (int j = 0; j < 4; j++) mins[j] = KQ(pair_ymm)(KQ(row_pairs_u8)(blockA + 96 + 16 * j), KQ(row_pairs_u8)(blockB + 96 + 16 * j));
        const __m512 d = KQ(pair_f16)(blockA, blockB);
        const __m512 dmin = KQ(pair_f16)(blockA + 16, blockB + 16);
        for (int v = 0; v < KQ_PAIR_VECTORS; v++) {
            const int16_t *b = KQ(sums)(a, v0 + v, s);
            __m512i msum = _mm512_setzero_si512();
            for (int j = 0; j < 4; j++) {
                const __m512i sums = _mm512_set1_epi32(_mm256_cvtsi256_si32(KQ(pair16)(b[4 * j] + b[4 * j + 1], b[4 * j + 2] + b[4 * j + 3])));
                msum = _mm512_add_epi32(msum, _mm512_madd_epi16(mins[j], sums));
            }
            const __m512 da = _mm512_set1_ps(KQ(scale)(a, v0 + v, s));
            acc[v] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(isum[v]), _mm512_mul_ps(d, da), acc[v]);
            acc[v] = _mm512_fnmadd_ps(_mm512_cvtepi32_ps(msum), _mm512_mul_ps(dmin, da), acc[v]);
        }
    }
    for (int v = 0; v < KQ_PAIR_VECTORS; v++) _mm512_storeu_ps(out + (v0 + v) * outStride + offset, acc[v]);
}

/// unpack_q6k_half of group g's words at a (low 256 bits) and group g + 1's at b (high).
KQ_ATTR void KQ(pair_unpack_q6k_half)(const uint8_t *a, const uint8_t *b, __m512i out[4]) {
    const __m512i r0 = KQ(pair_load)(a, b), r1 = KQ(pair_load)(a + 32, b + 32), r2 = KQ(pair_load)(a + 64, b + 64);
    const __m512i codeMask = _mm512_set1_epi8(0x3F);
    out[0] = _mm512_and_si512(r0, codeMask);
    out[1] = _mm512_and_si512(r1, codeMask);
    out[2] = _mm512_and_si512(r2, codeMask);
    out[3] = _mm512_or_si512(_mm512_or_si512(_mm512_and_si512(_mm512_srli_epi16(r0, 6), _mm512_set1_epi8(0x03)),
                                             _mm512_and_si512(_mm512_srli_epi16(r1, 4), _mm512_set1_epi8(0x0C))),
                             _mm512_and_si512(_mm512_srli_epi16(r2, 2), _mm512_set1_epi8(0x30)));
}

/// Groups g (at ga) and g + 1 (at gb) of Q6_K dotted with KQ_PAIR_VECTORS vectors from v0. Each
/// 16-weight dot product starts at the vector's offset for those 16 values (-32 times their code
/// sum), so it ends as the dot with the signed weights before the sub-block scale multiplies it:
/// the same integers as AVX2's offset taken out per super-block, without its multiplies.
KQ_ATTR void KQ(q6k_pair)(const uint8_t *ga, const uint8_t *gb, size_t superBlocks, genrm_k8_vectors a, size_t v0,
                          float *out, size_t outStride, size_t offset) {
    __m512 acc[KQ_PAIR_VECTORS];
    for (int v = 0; v < KQ_PAIR_VECTORS; v++) acc[v] = _mm512_setzero_ps();
    for (size_t s = 0; s < superBlocks; s++) {
        const uint8_t *headerA = ga + Q6K_GROUP_BYTES * s, *headerB = gb + Q6K_GROUP_BYTES * s;
        __m512i isum[KQ_PAIR_VECTORS];
        for (int v = 0; v < KQ_PAIR_VECTORS; v++) isum[v] = _mm512_setzero_si512();
        for (int b = 0; b < 8; b++) {
            const uint8_t *chunksA = headerA + Q6K_HEADER_BYTES + 192 * b, *chunksB = headerB + Q6K_HEADER_BYTES + 192 * b;
            __m512i lo[4], hi[4];
            KQ(pair_unpack_q6k_half)(chunksA, chunksB, lo);
            KQ(pair_unpack_q6k_half)(chunksA + 96, chunksB + 96, hi);
            // The next super-block of both groups, an eighth of it per block: two streams that
            // each stop for a whole pass over the vectors keep the hardware prefetcher behind
            // (pp512 +0.5-1%; decode, one stream read straight through, does better without).
            for (int l = 0; l < Q6K_GROUP_BYTES / 8; l += 64) {
                _mm_prefetch((const char *)(headerA + Q6K_GROUP_BYTES + Q6K_GROUP_BYTES / 8 * b + l), _MM_HINT_T0);
                _mm_prefetch((const char *)(headerB + Q6K_GROUP_BYTES + Q6K_GROUP_BYTES / 8 * b + l), _MM_HINT_T0);
            }
            const __m512i scaleLow = KQ(pair_i8)(headerA + 16 + 16 * b, headerB + 16 + 16 * b);
            const __m512i scaleHigh = KQ(pair_i8)(headerA + 24 + 16 * b, headerB + 24 + 16 * b);
            for (int v = 0; v < KQ_PAIR_VECTORS; v++) {
                const int8_t *x = KQ(codes)(a, v0 + v, s) + 32 * b;
                const int32_t *start = KQ(offsets)(a, v0 + v, s) + 2 * b;
                __m512i low = _mm512_dpbusd_epi32(_mm512_set1_epi32(start[0]), lo[0], KQ(bcast4_512)(x));
                low = _mm512_dpbusd_epi32(low, lo[1], KQ(bcast4_512)(x + 4));
                low = _mm512_dpbusd_epi32(low, lo[2], KQ(bcast4_512)(x + 8));
                low = _mm512_dpbusd_epi32(low, lo[3], KQ(bcast4_512)(x + 12));
                __m512i high = _mm512_dpbusd_epi32(_mm512_set1_epi32(start[1]), hi[0], KQ(bcast4_512)(x + 16));
                high = _mm512_dpbusd_epi32(high, hi[1], KQ(bcast4_512)(x + 20));
                high = _mm512_dpbusd_epi32(high, hi[2], KQ(bcast4_512)(x + 24));
                high = _mm512_dpbusd_epi32(high, hi[3], KQ(bcast4_512)(x + 28));
                isum[v] = _mm512_add_epi32(isum[v], _mm512_add_epi32(_mm512_mullo_epi32(low, scaleLow), _mm512_mullo_epi32(high, scaleHigh)));
            }
        }
        const __m512 d = KQ(pair_f16)(headerA, headerB);
        for (int v = 0; v < KQ_PAIR_VECTORS; v++) {
            acc[v] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(isum[v]), _mm512_mul_ps(d, _mm512_set1_ps(KQ(scale)(a, v0 + v, s))), acc[v]);
        }
    }
    for (int v = 0; v < KQ_PAIR_VECTORS; v++) _mm512_storeu_ps(out + (v0 + v) * outStride + offset, acc[v]);
}
