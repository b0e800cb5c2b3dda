// The Q4_K row quantizer's body, included by RowQuantization.c once per instruction set:
// Q4K(name) suffixes every function and type, Q4K_LANES is how many sub-blocks are searched side
// by side (a multiple of 8: whole super-blocks), and the includer's `#pragma clang attribute`
// gives every function its target. Each variant does the same IEEE operations in the same order
// per lane, so all of them write the same bytes (RowQuantizerTwinTests runs each one).

#define Q4K_SUPER_BLOCKS (Q4K_LANES / 8)

/// The search state of `make_qkx2_quants(32, 15, x, w, L, &min, Laux, -1, 0.1, 20, false)` for
/// every lane. The levels are not kept: only the scale and offset that produced the best ones
/// (`levelScale`, `levelMin`), so they can be recomputed, bit for bit, where they are needed.
typedef struct {
    float scale[Q4K_LANES];
    float negatedMin[Q4K_LANES];
    float levelScale[Q4K_LANES];
    float levelMin[Q4K_LANES];
    int flat[Q4K_LANES];  // max == min: scale 0, levels 0
} Q4K(fit);

/// `x[i][k]` and `w[i][k]`: value i of lane k's sub-block and its weight.
static void Q4K(fit_lanes)(const float x[32][Q4K_LANES], const float w[32][Q4K_LANES], Q4K(fit) *fit) {
    float lo[Q4K_LANES], hi[Q4K_LANES], sumW[Q4K_LANES], sumX[Q4K_LANES];
    for (int k = 0; k < Q4K_LANES; k++) {
        lo[k] = hi[k] = x[0][k];
        sumW[k] = w[0][k];
        sumX[k] = w[0][k] * x[0][k];
    }
    for (int i = 1; i < 32; i++) {
        for (int k = 0; k < Q4K_LANES; k++) {
            lo[k] = x[i][k] < lo[k] ? x[i][k] : lo[k];
            hi[k] = x[i][k] > hi[k] ? x[i][k] : hi[k];
            sumW[k] += w[i][k];
            sumX[k] += w[i][k] * x[i][k];
        }
    }
    float scale[Q4K_LANES], best[Q4K_LANES], inverse[Q4K_LANES];
    for (int k = 0; k < Q4K_LANES; k++) {
        lo[k] = lo[k] > 0 ? 0 : lo[k];
        fit->flat[k] = hi[k] == lo[k];
        inverse[k] = 15.0f / (hi[k] - lo[k]);
        scale[k] = 1.0f / inverse[k];
        best[k] = 0;
        fit->levelScale[k] = inverse[k];
        fit->levelMin[k] = lo[k];
    }
    for (int i = 0; i < 32; i++) {
        for (int k = 0; k < Q4K_LANES; k++) {
            const float l = (float)clamp_level(nearest_int(inverse[k] * (x[i][k] - lo[k])), 15);
            const float diff = scale[k] * l + lo[k] - x[i][k];
            best[k] += w[i][k] * (diff * diff);
        }
    }
    for (int step = 0; step <= 20; step++) {
        const float numerator = -1.0f + 0.1f * (float)step + 15.0f;
        float sumL[Q4K_LANES], sumL2[Q4K_LANES], sumXL[Q4K_LANES], levels[32][Q4K_LANES];
        for (int k = 0; k < Q4K_LANES; k++) {
            inverse[k] = numerator / (hi[k] - lo[k]);
            sumL[k] = sumL2[k] = sumXL[k] = 0;
        }
        for (int i = 0; i < 32; i++) {
            for (int k = 0; k < Q4K_LANES; k++) {
                const float l = (float)clamp_level(nearest_int(inverse[k] * (x[i][k] - lo[k])), 15);
                levels[i][k] = l;
                const float wl = w[i][k] * l;
                sumL[k] += wl;
                sumL2[k] += wl * l;
                sumXL[k] += wl * x[i][k];
            }
        }
        float trialScale[Q4K_LANES], trialMin[Q4K_LANES], determinant[Q4K_LANES], error[Q4K_LANES];
        for (int k = 0; k < Q4K_LANES; k++) {
            determinant[k] = sumW[k] * sumL2[k] - sumL[k] * sumL[k];
            trialScale[k] = (sumW[k] * sumXL[k] - sumX[k] * sumL[k]) / determinant[k];
            trialMin[k] = (sumL2[k] * sumX[k] - sumL[k] * sumXL[k]) / determinant[k];
            const int positive = trialMin[k] > 0;
            trialScale[k] = positive ? sumXL[k] / sumL2[k] : trialScale[k];
            trialMin[k] = positive ? 0 : trialMin[k];
            error[k] = 0;
        }
        for (int i = 0; i < 32; i++) {
            for (int k = 0; k < Q4K_LANES; k++) {
                const float diff = trialScale[k] * levels[i][k] + trialMin[k] - x[i][k];
                error[k] += w[i][k] * (diff * diff);
            }
        }
        // ggml's `min` moves to each better candidate's, and later steps start from it.
        for (int k = 0; k < Q4K_LANES; k++) {
            const int better = determinant[k] > 0 && error[k] < best[k];
            best[k] = better ? error[k] : best[k];
            scale[k] = better ? trialScale[k] : scale[k];
            fit->levelScale[k] = better ? inverse[k] : fit->levelScale[k];
            fit->levelMin[k] = better ? lo[k] : fit->levelMin[k];
            lo[k] = better ? trialMin[k] : lo[k];
        }
    }
    for (int k = 0; k < Q4K_LANES; k++) {
        fit->scale[k] = fit->flat[k] ? 0 : scale[k];
        fit->negatedMin[k] = -lo[k];
    }
}

/// The 144-byte block `{ f16 d, dmin; u8 scales[12]; u8 qs[128] }` of the 256 values at `x`
/// from the fit of its sub-blocks in lanes `lane0 ..< lane0 + 8`.
static void Q4K(write_block)(const float *x, const Q4K(fit) *fit, int lane0, uint8_t *y) {
    float maxScale = 0, maxMin = 0;
    for (int j = 0; j < 8; j++) {
        if (fit->scale[lane0 + j] > maxScale) maxScale = fit->scale[lane0 + j];
        if (fit->negatedMin[lane0 + j] > maxMin) maxMin = fit->negatedMin[lane0 + j];
    }
    const float inverseScale = maxScale > 0 ? 63.0f / maxScale : 0.0f;
    const float inverseMin = maxMin > 0 ? 63.0f / maxMin : 0.0f;
    uint8_t packed[12] = {0}, sc[8], m[8];
    for (int j = 0; j < 8; j++) {
        // ggml stores nearest_int in a uint8_t before clamping to 63.
        uint8_t ls = (uint8_t)nearest_int(inverseScale * fit->scale[lane0 + j]);
        uint8_t lm = (uint8_t)nearest_int(inverseMin * fit->negatedMin[lane0 + j]);
        ls = ls < 63 ? ls : 63;
        lm = lm < 63 ? lm : 63;
        if (j < 4) {
            packed[j] = ls;
            packed[j + 4] = lm;
        } else {
            packed[j + 4] = (uint8_t)((ls & 0x0F) | ((lm & 0x0F) << 4));
            packed[j - 4] |= (uint8_t)((ls >> 4) << 6);
            packed[j] |= (uint8_t)((lm >> 4) << 6);
        }
    }
    // The 6-bit values back out of the table, as ggml's get_scale_min_k4 reads them.
    for (int j = 0; j < 8; j++) {
        if (j < 4) {
            sc[j] = packed[j] & 63;
            m[j] = packed[j + 4] & 63;
        } else {
            sc[j] = (uint8_t)((packed[j + 4] & 0x0F) | ((packed[j - 4] >> 6) << 4));
            m[j] = (uint8_t)((packed[j + 4] >> 4) | ((packed[j] >> 6) << 4));
        }
    }
    const uint16_t dBits = f32_to_f16(maxScale / 63.0f), dminBits = f32_to_f16(maxMin / 63.0f);
    const float d = f16_to_f32(dBits), dmin = f16_to_f32(dminBits);
    uint8_t levels[256];
    for (int j = 0; j < 8; j++) {
        const float *sub = x + 32 * j;
        uint8_t *out = levels + 32 * j;
        const float subD = d * (float)sc[j];
        if (subD == 0) {
            // The search's own levels (0 for a flat sub-block).
            const int lane = lane0 + j;
            const float inverse = fit->levelScale[lane], lo = fit->levelMin[lane];
            for (int i = 0; i < 32; i++) {
                out[i] = fit->flat[lane] ? 0 : (uint8_t)clamp_level(nearest_int(inverse * (sub[i] - lo)), 15);
            }
            continue;
        }
        const float subMin = dmin * (float)m[j];
        for (int i = 0; i < 32; i++) out[i] = (uint8_t)clamp_level(nearest_int((sub[i] + subMin) / subD), 15);
    }
    memcpy(y, &dBits, 2);
    memcpy(y + 2, &dminBits, 2);
    memcpy(y + 4, packed, 12);
    for (int c = 0; c < 4; c++) {
        for (int i = 0; i < 32; i++) y[16 + 32 * c + i] = (uint8_t)(levels[64 * c + i] | (levels[64 * c + 32 + i] << 4));
    }
}

/// The super-blocks searched together, `Q4K_SUPER_BLOCKS` of the values at `x` from `first` on
/// (zeros past `blocks`): their blocks to `y`.
static void Q4K(group)(const float *x, size_t first, size_t blocks, uint8_t *y) {
    float xt[32][Q4K_LANES], w[32][Q4K_LANES], sumSquares[Q4K_LANES] = {0}, average[Q4K_LANES];
    for (int k = 0; k < Q4K_LANES; k++) {
        const int present = first + (size_t)(k / 8) < blocks;
        for (int i = 0; i < 32; i++) xt[i][k] = present ? x[256 * first + 32 * k + i] : 0;
    }
    for (int i = 0; i < 32; i++) {
        for (int k = 0; k < Q4K_LANES; k++) sumSquares[k] += xt[i][k] * xt[i][k];
    }
    for (int k = 0; k < Q4K_LANES; k++) average[k] = sqrtf(sumSquares[k] / 32);
    for (int i = 0; i < 32; i++) {
        for (int k = 0; k < Q4K_LANES; k++) w[i][k] = average[k] + fabsf(xt[i][k]);
    }
    Q4K(fit) fit;
    Q4K(fit_lanes)((const float(*)[Q4K_LANES])xt, (const float(*)[Q4K_LANES])w, &fit);
    for (size_t b = first; b < blocks && b < first + Q4K_SUPER_BLOCKS; b++) {
        Q4K(write_block)(x + 256 * b, &fit, 8 * (int)(b - first), y + 144 * b);
    }
}

/// The `blocks` super-blocks of values at `x` into their 144-byte blocks at `y`.
static void Q4K(blocks)(const float *x, size_t blocks, uint8_t *y) {
    for (size_t first = 0; first < blocks; first += Q4K_SUPER_BLOCKS) Q4K(group)(x, first, blocks, y);
}

#undef Q4K_SUPER_BLOCKS
