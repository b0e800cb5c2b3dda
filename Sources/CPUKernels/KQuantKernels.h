// The body of the K-quant kernels, included by KQuantMatmul.c once per instruction set:
// KQ(name) suffixes every function, KQ_ATTR / KQ_ENTRY carry the target attribute and
// KQ_VNNI picks the byte dot product (vpdpbusd, or vpmaddubsw + vpmaddwd on AVX2) and
// KQ_VECTORS how many activation vectors share one unpacked block (KQ_PAIR_VECTORS, VNNI only,
// how many share one unpacked pair of blocks in KQuantPairKernels.h).
//
// Layouts (one 8-row group, one 256-weight super-block; lane r of a 32-byte chunk is bytes
// 4r..<4r+4, 4 weights of row r), written by InterleavedRows.swift:
//   Q4_K, 1184 B: d[8] f16 | dmin[8] f16 | scale[8 sub][8 rows] u8 | min[8 sub][8 rows] u8 |
//         sub k, chunk c at 160 + 128k + 32c: low nibbles weights 32k+4c+i, high 32k+16+4c+i
//   Q5_K, 1440 B: as Q4_K with 160 B per sub-block k at 160 + 160k: its 4 nibble chunks, then
//         32 B of fifth bits, lane r's bit 8i + c that of low-nibble weight 4c+i of chunk c,
//         bit 8i + 4 + c that of its high-nibble weight 16+4c+i
//   Q6_K, 1696 B: header d[8] f16 | scale[16 sub][8 rows] i8 | 16 B unused, then 1536 B of
//         codes, 192 B per 32-weight block b, read in order: six 32 B words R0..R5 at
//         160 + 192b + 32j; half h (weights 16h..<16h + 16) in R3h..R3h+2: lane r's byte i
//         of R3h+k holds code 16h + 4k + i in bits 0-5 and bits 2k, 2k+1 of code
//         16h + 12 + i in bits 6-7 (unpack_q6k_half: three ANDs, three shifts and two
//         merges give the half's four code words)
// Both are read strictly in address order: the hardware prefetcher keeps up only with a
// stream that has no holes or jumps, and with such a stream software prefetches (tried at
// 1-16 KiB ahead) only cost decode speed.
// Codes are unsigned (Q6_K's are q + 32, its -32 offset taken out through the bsums).

#define Q4K_GROUP_BYTES 1184
#define Q5K_GROUP_BYTES 1440
#define Q6K_GROUP_BYTES 1696
#define Q6K_HEADER_BYTES 160

KQ_ATTR __m256i KQ(bcast4)(const int8_t *a) {
    int32_t v;
    memcpy(&v, a, 4);
    return _mm256_set1_epi32(v);
}

/// Per-row sub-block scales (int32 lane r: row r's scale, -128...127) in the form the scaled
/// dot products below take: as they are for VNNI, which multiplies the int32 dot; each in both
/// int16 halves of its lane for AVX2, whose vpmaddwd then scales the int16 partial sums while
/// it adds them up (no separate multiply).
KQ_ATTR __m256i KQ(row_scales)(__m256i scales) {
#if KQ_VNNI
    return scales;
#else
    return _mm256_blend_epi16(scales, _mm256_slli_epi32(scales, 16), 0xAA);
#endif
}

/// Per row lane: a 32-weight sub-block of 4- or 5-bit codes (chunks lo[c], hi[c]) dotted with
/// a[0..<32], times the row's scale (`row_scales`).
KQ_ATTR __m256i KQ(code_dot32_scaled)(const __m256i lo[4], const __m256i hi[4], const int8_t *a, const int fiveBit,
                                      __m256i scale) {
#if KQ_VNNI
    (void)fiveBit;
    __m256i acc = _mm256_setzero_si256();
    for (int c = 0; c < 4; c++) {
        acc = _mm256_dpbusd_epi32(acc, lo[c], KQ(bcast4)(a + 4 * c));
        acc = _mm256_dpbusd_epi32(acc, hi[c], KQ(bcast4)(a + 16 + 4 * c));
    }
    return _mm256_mullo_epi32(acc, scale);
#else
    // A vpmaddubsw lane is at most 2 * 15 * 127 = 3810 (4 bits; 7874 with 5): the 8 of a
    // sub-block add up in int16, or 4 at a time for 5-bit codes.
    __m256i p = _mm256_setzero_si256(), q = _mm256_setzero_si256();
    for (int c = 0; c < 4; c++) {
        p = _mm256_add_epi16(p, _mm256_maddubs_epi16(lo[c], KQ(bcast4)(a + 4 * c)));
        const __m256i high = _mm256_maddubs_epi16(hi[c], KQ(bcast4)(a + 16 + 4 * c));
        if (fiveBit) q = _mm256_add_epi16(q, high); else p = _mm256_add_epi16(p, high);
    }
    if (!fiveBit) return _mm256_madd_epi16(p, scale);
    return _mm256_add_epi32(_mm256_madd_epi16(p, scale), _mm256_madd_epi16(q, scale));
#endif
}

/// Per row lane: a 16-weight sub-block of 6-bit codes (c0..c3, 4 weights each) dotted with
/// a[0..<16], times the row's scale (`row_scales`). With VNNI the dot product starts at *start
/// (the sub-block's Q6_K offset, `offsets`), so the codes' +32 is taken out here; AVX2, whose
/// int16 partial sums have no room for it, takes it out per super-block (q6k_group).
KQ_ATTR __m256i KQ(code_dot16_scaled)(__m256i c0, __m256i c1, __m256i c2, __m256i c3, const int8_t *a, const int32_t *start,
                                      __m256i scale) {
#if KQ_VNNI
    __m256i acc = _mm256_dpbusd_epi32(_mm256_set1_epi32(*start), c0, KQ(bcast4)(a));
    acc = _mm256_dpbusd_epi32(acc, c1, KQ(bcast4)(a + 4));
    acc = _mm256_dpbusd_epi32(acc, c2, KQ(bcast4)(a + 8));
    return _mm256_mullo_epi32(_mm256_dpbusd_epi32(acc, c3, KQ(bcast4)(a + 12)), scale);
#else
    (void)start;
    // A vpmaddubsw lane is at most 2 * 63 * 127 = 16002: two of them fit int16.
    const __m256i p = _mm256_add_epi16(_mm256_maddubs_epi16(c0, KQ(bcast4)(a)), _mm256_maddubs_epi16(c1, KQ(bcast4)(a + 4)));
    const __m256i q = _mm256_add_epi16(_mm256_maddubs_epi16(c2, KQ(bcast4)(a + 8)), _mm256_maddubs_epi16(c3, KQ(bcast4)(a + 12)));
    return _mm256_add_epi32(_mm256_madd_epi16(p, scale), _mm256_madd_epi16(q, scale));
#endif
}

/// Pairs (x[r], x[8 + r]) of 16 bytes as int16 pairs in 32-bit lane r (signed or unsigned bytes).
KQ_ATTR __m256i KQ(row_pairs_u8)(const uint8_t *p) {
    const __m128i x = _mm_loadu_si128((const __m128i *)p);
    return _mm256_cvtepu8_epi16(_mm_unpacklo_epi8(x, _mm_srli_si128(x, 8)));
}

KQ_ATTR __m256i KQ(row_pairs_i8)(const uint8_t *p) {
    const __m128i x = _mm_loadu_si128((const __m128i *)p);
    return _mm256_cvtepi8_epi16(_mm_unpacklo_epi8(x, _mm_srli_si128(x, 8)));
}

/// Two int16 values in one 32-bit lane, the first low.
KQ_ATTR __m256i KQ(pair16)(int first, int second) {
    return _mm256_set1_epi32((int32_t)((uint32_t)(uint16_t)(int16_t)first | ((uint32_t)(uint16_t)(int16_t)second << 16)));
}

/// Vector v's codes of super-block s, its 16 code sums and its scale (K8, see CPUKernels.h).
KQ_ATTR const int8_t *KQ(codes)(genrm_k8_vectors a, size_t v, size_t s) { return a.qs + v * a.cols + 256 * s; }
KQ_ATTR const int16_t *KQ(sums)(genrm_k8_vectors a, size_t v, size_t s) { return a.bsums + v * (a.cols / 16) + 16 * s; }
KQ_ATTR const int32_t *KQ(offsets)(genrm_k8_vectors a, size_t v, size_t s) { return a.offsets + v * (a.cols / 16) + 16 * s; }
KQ_ATTR float KQ(scale)(genrm_k8_vectors a, size_t v, size_t s) { return a.d[v * (a.cols / 256) + s]; }

/// One 8-row Q4_K (or, with fiveBit, Q5_K) group dotted with `n` (1 or KQ_VECTORS) vectors
/// from v0; results to out + v * outStride + offset.
KQ_ATTR void KQ(q45k_group)(const uint8_t *group, size_t superBlocks, genrm_k8_vectors a, size_t v0, const int n,
                            float *out, size_t outStride, size_t offset, const int fiveBit) {
    const size_t blockBytes = fiveBit ? Q5K_GROUP_BYTES : Q4K_GROUP_BYTES, subBlockBytes = fiveBit ? 160 : 128;
    __m256 acc[KQ_VECTORS];
    for (int v = 0; v < n; v++) acc[v] = _mm256_setzero_ps();
    const __m256i mask = _mm256_set1_epi8(0x0F);
    for (size_t s = 0; s < superBlocks; s++) {
        const uint8_t *block = group + blockBytes * s;
        __m256i isum[KQ_VECTORS];
        for (int v = 0; v < n; v++) isum[v] = _mm256_setzero_si256();
        for (int k = 0; k < 8; k++) {
            const uint8_t *chunks = block + 160 + subBlockBytes * k;
            __m256i lo[4], hi[4];
            for (int c = 0; c < 4; c++) {
                const __m256i x = _mm256_loadu_si256((const __m256i *)(chunks + 32 * c));
                lo[c] = _mm256_and_si256(x, mask);
                hi[c] = _mm256_and_si256(_mm256_srli_epi16(x, 4), mask);
            }
            if (fiveBit) {
                // Shifting by c within 16-bit lanes keeps bits c..c+4 of each byte in that byte.
                const __m256i fifth = _mm256_set1_epi8(0x10);
                const __m256i bits = _mm256_loadu_si256((const __m256i *)(chunks + 128));
                for (int c = 0; c < 4; c++) {
                    const __m256i h = _mm256_srli_epi16(bits, c);
                    lo[c] = _mm256_or_si256(lo[c], _mm256_and_si256(_mm256_slli_epi16(h, 4), fifth));
                    hi[c] = _mm256_or_si256(hi[c], _mm256_and_si256(h, fifth));
                }
            }
            const __m256i scale = KQ(row_scales)(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(block + 32 + 8 * k))));
            for (int v = 0; v < n; v++) {
                isum[v] = _mm256_add_epi32(isum[v], KQ(code_dot32_scaled)(lo, hi, KQ(codes)(a, v0 + v, s) + 32 * k, fiveBit, scale));
            }
        }
        __m256i mins[4];
        for (int j = 0; j < 4; j++) mins[j] = KQ(row_pairs_u8)(block + 96 + 16 * j);
        const __m256 d = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)block));
        const __m256 dmin = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(block + 16)));
        for (int v = 0; v < n; v++) {
            // Sub-block k's code sum is bsums[2k] + bsums[2k + 1] (at most 32 * 127).
            const int16_t *b = KQ(sums)(a, v0 + v, s);
            __m256i msum = _mm256_setzero_si256();
            for (int j = 0; j < 4; j++) {
                const __m256i sums = KQ(pair16)(b[4 * j] + b[4 * j + 1], b[4 * j + 2] + b[4 * j + 3]);
                msum = _mm256_add_epi32(msum, _mm256_madd_epi16(mins[j], sums));
            }
            const __m256 da = _mm256_set1_ps(KQ(scale)(a, v0 + v, s));
            acc[v] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(isum[v]), _mm256_mul_ps(d, da), acc[v]);
            acc[v] = _mm256_fnmadd_ps(_mm256_cvtepi32_ps(msum), _mm256_mul_ps(dmin, da), acc[v]);
        }
    }
    for (int v = 0; v < n; v++) _mm256_storeu_ps(out + (v0 + v) * outStride + offset, acc[v]);
}

/// The four 32 B code words (weights 4k..<4k + 4 of each row, k < 4) of one 16-weight half of
/// a Q6_K block from its three stored words (see the layout above). The shifts move 16-bit
/// lanes, but each byte's own bits 6-7 land where the mask keeps them, whatever its neighbour.
KQ_ATTR void KQ(unpack_q6k_half)(const uint8_t *words, __m256i out[4]) {
    const __m256i r0 = _mm256_loadu_si256((const __m256i *)words);
    const __m256i r1 = _mm256_loadu_si256((const __m256i *)(words + 32));
    const __m256i r2 = _mm256_loadu_si256((const __m256i *)(words + 64));
    const __m256i codeMask = _mm256_set1_epi8(0x3F);
    out[0] = _mm256_and_si256(r0, codeMask);
    out[1] = _mm256_and_si256(r1, codeMask);
    out[2] = _mm256_and_si256(r2, codeMask);
    out[3] = _mm256_or_si256(_mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(r0, 6), _mm256_set1_epi8(0x03)),
                                             _mm256_and_si256(_mm256_srli_epi16(r1, 4), _mm256_set1_epi8(0x0C))),
                             _mm256_and_si256(_mm256_srli_epi16(r2, 2), _mm256_set1_epi8(0x30)));
}

/// One 8-row Q6_K group dotted with `n` (1 or KQ_VECTORS) vectors from v0.
KQ_ATTR void KQ(q6k_group)(const uint8_t *group, size_t superBlocks, genrm_k8_vectors a, size_t v0, const int n,
                           float *out, size_t outStride, size_t offset) {
    __m256 acc[KQ_VECTORS];
    for (int v = 0; v < n; v++) acc[v] = _mm256_setzero_ps();
    for (size_t s = 0; s < superBlocks; s++) {
        const uint8_t *header = group + Q6K_GROUP_BYTES * s;
        const uint8_t *codes = header + Q6K_HEADER_BYTES;
        __m256i isum[KQ_VECTORS];
        for (int v = 0; v < n; v++) isum[v] = _mm256_setzero_si256();
        for (int b = 0; b < 8; b++) {
            const uint8_t *words = codes + 192 * b;
            __m256i lo[4], hi[4];
            KQ(unpack_q6k_half)(words, lo);
            KQ(unpack_q6k_half)(words + 96, hi);
            const __m256i scaleLow = KQ(row_scales)(_mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)(header + 16 + 16 * b))));
            const __m256i scaleHigh = KQ(row_scales)(_mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)(header + 24 + 16 * b))));
            for (int v = 0; v < n; v++) {
                const int8_t *x = KQ(codes)(a, v0 + v, s) + 32 * b;
                const int32_t *start = KQ(offsets)(a, v0 + v, s) + 2 * b;
                const __m256i low = KQ(code_dot16_scaled)(lo[0], lo[1], lo[2], lo[3], x, start, scaleLow);
                const __m256i high = KQ(code_dot16_scaled)(hi[0], hi[1], hi[2], hi[3], x + 16, start + 1, scaleHigh);
                isum[v] = _mm256_add_epi32(isum[v], _mm256_add_epi32(low, high));
            }
        }
        const __m256 d = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)header));
#if !KQ_VNNI
        __m256i scales[8];
        for (int j = 0; j < 8; j++) scales[j] = KQ(row_pairs_i8)(header + 16 + 16 * j);
#endif
        for (int v = 0; v < n; v++) {
#if KQ_VNNI
            const __m256i total = isum[v];
#else
            // The codes are q + 32: take 32 * sum_sub scale * (code sum of the sub-block) back out.
            const int16_t *b = KQ(sums)(a, v0 + v, s);
            __m256i offsetSum = _mm256_setzero_si256();
            for (int j = 0; j < 8; j++) {
                offsetSum = _mm256_add_epi32(offsetSum, _mm256_madd_epi16(scales[j], KQ(pair16)(b[2 * j], b[2 * j + 1])));
            }
            const __m256i total = _mm256_sub_epi32(isum[v], _mm256_slli_epi32(offsetSum, 5));
#endif
            acc[v] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(total), _mm256_mul_ps(d, _mm256_set1_ps(KQ(scale)(a, v0 + v, s))), acc[v]);
        }
    }
    for (int v = 0; v < n; v++) _mm256_storeu_ps(out + (v0 + v) * outStride + offset, acc[v]);
}

/// One 8-row group dotted with `n` (1 or KQ_VECTORS) vectors from v.
KQ_ATTR void KQ(group)(int kind, const uint8_t *group, size_t superBlocks, genrm_k8_vectors a, size_t v, const int n,
                       float *out, size_t outStride, size_t offset) {
    switch (kind) {
    case GENRM_KQ_Q6_K: KQ(q6k_group)(group, superBlocks, a, v, n, out, outStride, offset); break;
    case GENRM_KQ_Q5_K: KQ(q45k_group)(group, superBlocks, a, v, n, out, outStride, offset, 1); break;
    default: KQ(q45k_group)(group, superBlocks, a, v, n, out, outStride, offset, 0);
    }
}

#if KQ_VNNI
#include "KQuantPairKernels.h"
#endif

/// Groups [groupStart, groupEnd) of a matrix of `kind` (GENRM_KQ_*) dotted with vectors
/// [vectorStart, vectorEnd), KQ_VECTORS at a time (two groups and KQ_PAIR_VECTORS vectors at a
/// time on 512-bit registers where the variant has them, then KQ_VECTORS), the vectors left over
/// one at a time.
KQ_ENTRY static void KQ(tile)(int kind, const void *groups, size_t groupBytes, size_t groupStart, size_t groupEnd,
                              genrm_k8_vectors a, size_t vectorStart, size_t vectorEnd, float *out, size_t outStride) {
    const size_t superBlocks = a.cols / 256;
    for (size_t g = groupStart; g < groupEnd;) {
        const uint8_t *group = (const uint8_t *)groups + g * groupBytes;
        size_t v = vectorStart;
#if KQ_VNNI
        if (g + 1 < groupEnd) {
            const uint8_t *next = group + groupBytes;
            for (; v + KQ_PAIR_VECTORS <= vectorEnd; v += KQ_PAIR_VECTORS) {
                switch (kind) {
                case GENRM_KQ_Q6_K: KQ(q6k_pair)(group, next, superBlocks, a, v, out, outStride, 8 * g); break;
                case GENRM_KQ_Q5_K: KQ(q45k_pair)(group, next, superBlocks, a, v, out, outStride, 8 * g, 1); break;
                default: KQ(q45k_pair)(group, next, superBlocks, a, v, out, outStride, 8 * g, 0);
                }
            }
            for (; v < vectorEnd;) {
                const int n = v + KQ_VECTORS <= vectorEnd ? KQ_VECTORS : 1;
                KQ(group)(kind, group, superBlocks, a, v, n, out, outStride, 8 * g);
                KQ(group)(kind, next, superBlocks, a, v, n, out, outStride, 8 * (g + 1));
                v += n;
            }
            g += 2;
            continue;
        }
#endif
        for (; v + KQ_VECTORS <= vectorEnd; v += KQ_VECTORS) KQ(group)(kind, group, superBlocks, a, v, KQ_VECTORS, out, outStride, 8 * g);
        for (; v < vectorEnd; v++) KQ(group)(kind, group, superBlocks, a, v, 1, out, outStride, 8 * g);
        g++;
    }
}
