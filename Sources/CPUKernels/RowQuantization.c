// Quantization of float weight rows as a model loads (`--quantize q8_0|q4_k`): ggml's reference
// rounding (`quantize_row_q8_0_ref`, `quantize_row_q4_K_ref`), byte for byte what the Swift
// reference twins write (ReferenceQuantization.swift, Q4_KQuantization.swift; RowQuantizerTwinTests
// holds them together), written straight into the destination with no allocation.
//
// Q4_K spends nearly all its time in `make_qkx2_quants`: 22 passes over every 32-weight
// sub-block, each a chain of float sums that must be added in ggml's order to give its bits. The
// sub-blocks are independent, so they run side by side: lane k of every array below is
// sub-block k of a group of super-blocks, and each loop over the lanes is one vector operation
// doing exactly the scalar steps of every lane (the compiler vectorises it; no intrinsics). On
// one core of a 2-core EPYC: about 105 M weights a second to Q4_K built for AVX2 (16 lanes: two
// 256-bit registers, so two sum chains overlap; 8 lanes gave 85, 32 lanes or AVX-512 at most 10%
// more), 49 M for baseline x86-64 (SSE2; -O3 instead of SwiftPM's -O2 halved it), and 700 M to
// Q8_0, against ggml's reference at 15 M and 300 M.
//
// No fused multiply-adds: ggml's reference (built for baseline x86-64) and the Swift twin round
// every product and sum separately.
#pragma STDC FP_CONTRACT OFF

#include "CPUKernels.h"

#include <math.h>
#include <string.h>

/// Values converted to f32 at a time for Q4_K: a multiple of every variant's super-blocks side by side.
#define CHUNK_VALUES 1024

static inline uint32_t bits_of(float f) {
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}

static inline float float_of(uint32_t u) {
    float f;
    memcpy(&f, &u, 4);
    return f;
}

/// f16 bits to f32, exactly: the 15 magnitude bits placed in an f32 and scaled by 2^112 rebase
/// the exponent (and normalise subnormals); infinities and NaNs get their all-ones exponent back.
static inline float f16_to_f32(uint16_t h) {
    uint32_t magnitude = bits_of(float_of((uint32_t)(h & 0x7FFF) << 13) * 0x1p112f);
    if ((h & 0x7C00) == 0x7C00) magnitude |= 0x7F800000;
    return float_of(magnitude | (uint32_t)(h & 0x8000) << 16);
}

/// The nearest f16 (ties to even), infinity on overflow; the sources are finite, so no NaN.
static uint16_t f32_to_f16(float value) {
    const uint32_t x = bits_of(value);
    const uint16_t sign = (uint16_t)((x >> 16) & 0x8000);
    const int exponent = (int)((x >> 23) & 0xFF) - 127 + 15;
    uint32_t mantissa = x & 0x7FFFFF;
    if (((x >> 23) & 0xFF) == 0xFF) return sign | 0x7C00 | (mantissa ? 0x200 : 0);
    if (exponent >= 31) return sign | 0x7C00;
    if (exponent <= 0) {
        // Subnormal f16: value / 2^-24, rounded to nearest even.
        if (exponent < -10) return sign;
        mantissa |= 0x800000;
        const uint32_t shift = (uint32_t)(14 - exponent);
        const uint32_t kept = mantissa >> shift, rest = mantissa & ((1u << shift) - 1), halfway = 1u << (shift - 1);
        return sign | (uint16_t)(kept + ((rest > halfway || (rest == halfway && (kept & 1))) ? 1 : 0));
    }
    uint32_t h = ((uint32_t)exponent << 10) | (mantissa >> 13);
    const uint32_t rest = mantissa & 0x1FFF;
    // A carry out of the mantissa bumps the exponent, up to infinity.
    if (rest > 0x1000 || (rest == 0x1000 && (h & 1))) h += 1;
    return sign | (uint16_t)h;
}

/// ggml's `nearest_int`: adding 1.5 * 2^23 leaves round-half-even(x) in the low mantissa bits
/// (for |x| < 2^22; beyond, and for NaN and infinities, the same bit arithmetic, as ggml's).
static inline int32_t nearest_int(float x) {
    return (int32_t)(bits_of(x + 12582912.0f) & 0x007FFFFF) - 0x00400000;
}

static inline int32_t clamp_level(int32_t l, int32_t top) { return l < 0 ? 0 : (l > top ? top : l); }

/// Converts `count` values of `type` at `source` to floats at `out`; returns whether any is a NaN
/// or an infinity.
static int load_floats(int type, const uint8_t *source, size_t count, float *out) {
    uint32_t special = 0;
    switch (type) {
    case GENRM_ROW_F32:
        memcpy(out, source, 4 * count);
        break;
    case GENRM_ROW_F16:
        for (size_t i = 0; i < count; i++) {
            uint16_t h;
            memcpy(&h, source + 2 * i, 2);
            out[i] = f16_to_f32(h);
        }
        break;
    default:  // GENRM_ROW_BF16
        for (size_t i = 0; i < count; i++) {
            uint16_t b;
            memcpy(&b, source + 2 * i, 2);
            out[i] = float_of((uint32_t)b << 16);
        }
        break;
    }
    for (size_t i = 0; i < count; i++) special |= (~bits_of(out[i]) & 0x7F800000) == 0;
    return special != 0;
}

// MARK: Q8_0

/// One 34-byte block `{ f16 d; int8 q[32] }` of 32 values: d = max|x| / 127, q = x / d rounded
/// half away from zero (roundf). Where 1/d overflows (max|x| below about 4e-37, whose d is 0 in
/// f16 anyway) the codes are 0, as x86 ggml writes them.
static void q8_0_block(const float *x, uint8_t *y) {
    float partial[8] = {0};
    for (int j = 0; j < 32; j += 8) {
        for (int k = 0; k < 8; k++) {
            const float a = fabsf(x[j + k]);
            partial[k] = partial[k] > a ? partial[k] : a;
        }
    }
    float amax = 0;
    for (int k = 0; k < 8; k++) amax = amax > partial[k] ? amax : partial[k];
    const float d = amax / 127.0f;
    const float id = d != 0 ? 1.0f / d : 0.0f;
    const uint16_t dh = f32_to_f16(d);
    memcpy(y, &dh, 2);
    int8_t q[32];
    for (int j = 0; j < 32; j++) {
        const float v = x[j] * id;
        // roundf as truncation and the exact remainder (|v| <= 127.00002 whenever it is finite).
        const int fits = fabsf(v) < 128.0f;
        const int32_t t = (int32_t)(fits ? v : 0.0f);
        const float rest = v - (float)t;
        const int32_t r = t + (rest >= 0.5f) - (rest <= -0.5f);
        q[j] = (int8_t)(fits && r >= -127 && r <= 127 ? r : 0);
    }
    memcpy(y + 2, q, 32);
}

// MARK: Q4_K, one variant per instruction set (Q4_KRows.h)

#define Q4K(name) q4k_##name##_portable
#define Q4K_LANES 16
#include "Q4_KRows.h"
#undef Q4K
#undef Q4K_LANES

#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx2"))), apply_to = function)
#define Q4K(name) q4k_##name##_avx2
#define Q4K_LANES 16
#include "Q4_KRows.h"
#undef Q4K
#undef Q4K_LANES
#pragma clang attribute pop
#endif

/// The Q4_K variant for `isa` (GENRM_ISA_*; 0: portable).
static void q4k_blocks(int isa, const float *x, size_t blocks, uint8_t *y) {
#if defined(__x86_64__)
    if (isa & (GENRM_ISA_AVX2 | GENRM_ISA_AVX512_VNNI)) {
        q4k_blocks_avx2(x, blocks, y);
        return;
    }
#else
    (void)isa;
#endif
    q4k_blocks_portable(x, blocks, y);
}

ptrdiff_t genrm_quantize_row(int isa, int target, int sourceType, const void *source, size_t count, void *destination) {
    const size_t chunk = target == GENRM_QUANT_Q4_K ? CHUNK_VALUES : 32;
    const size_t blockValues = target == GENRM_QUANT_Q4_K ? 256 : 32, blockBytes = target == GENRM_QUANT_Q4_K ? 144 : 34;
    const size_t sourceBytes = sourceType == GENRM_ROW_F32 ? 4 : 2;
    if ((target != GENRM_QUANT_Q8_0 && target != GENRM_QUANT_Q4_K) || sourceType < GENRM_ROW_F32 || sourceType > GENRM_ROW_BF16
        || count % blockValues != 0) {
        return GENRM_QUANTIZE_BAD_ARGUMENTS;
    }
    float values[CHUNK_VALUES];
    for (size_t start = 0; start < count; start += chunk) {
        const size_t n = count - start < chunk ? count - start : chunk;
        if (load_floats(sourceType, (const uint8_t *)source + sourceBytes * start, n, values)) {
            for (size_t i = 0; i < n; i++) {
                if ((~bits_of(values[i]) & 0x7F800000) == 0) return (ptrdiff_t)(start + i);
            }
        }
        uint8_t *out = (uint8_t *)destination + start / blockValues * blockBytes;
        if (target == GENRM_QUANT_Q4_K) {
            q4k_blocks(isa, values, n / 256, out);
        } else {
            q8_0_block(values, out);
        }
    }
    return GENRM_QUANTIZE_DONE;
}
