// The engine's kernels that need an instruction set chosen at run time (C, because Swift has no
// per-function target attribute): one source per layout, compiled once per instruction set,
// dispatched on `isa`. The matmuls exist only on x86-64 (elsewhere the engine runs its portable
// Swift kernels and never calls them); the load quantizer (`genrm_quantize_row`) is portable C
// everywhere, with an AVX2 build on x86-64.
#ifndef GENRM_CPU_KERNELS_H
#define GENRM_CPU_KERNELS_H

#include <stddef.h>
#include <stdint.h>

// Instruction sets of the kernels here (bit values, so `genrm_cpu_isas` can return a set).
/// AVX2 with FMA and F16C (Haswell, Zen 1 and later): the floor on x86-64.
#define GENRM_ISA_AVX2 1
/// AVX-512 F/BW/VL with VNNI (Ice Lake, Sapphire Rapids, Zen 4 and later): 256-bit registers for
/// one 8-row group, 512-bit ones for two groups at a time in the K-quant prefill kernels.
#define GENRM_ISA_AVX512_VNNI 2

/// The instruction sets this CPU and operating system can run (CPUID, and XGETBV for the
/// register state the OS saves); 0 on other architectures.
int genrm_cpu_isas(void);

/// Activation vectors quantised for the K-quant kernels ("K8"): per vector of `cols` values
/// (a multiple of 256), `qs` int8 codes, one float scale `d` per 256 values, the int16 sum
/// of the codes of every 16 values (`bsums`) and the same sums times -32 as int32 (`offsets`,
/// Q6_K's offset, where the 512-bit kernel starts each 16-value dot product): x[i] ~
/// d[i / 256] * qs[i].
typedef struct {
    const int8_t *qs;       // [batch][cols]
    const float *d;         // [batch][cols / 256]
    const int16_t *bsums;   // [batch][cols / 16]
    const int32_t *offsets; // [batch][cols / 16]
    size_t cols;
} genrm_k8_vectors;

/// Quantises one vector of `cols` floats (a multiple of 256) into K8 form with AVX2: per 256
/// values d = max|x| / 127, qs = x / d rounded to nearest even and clamped to [-127, 127], NaN
/// to 0. Only called where `genrm_cpu_isas` has AVX2.
void genrm_k8_quantize_avx2(const float *x, size_t cols, int8_t *qs, float *d, int16_t *bsums);

/// The K-quant types of `genrm_k_x8_matmul`.
#define GENRM_KQ_Q4_K 0
#define GENRM_KQ_Q5_K 1
#define GENRM_KQ_Q6_K 2

/// out[v * outStride + 8 g + r] = row 8g + r of a matrix of `kind` (GENRM_KQ_*) in its 8-row
/// layout (groups of `groupBytes` at `groups`) dotted with K8 vector v, for groups
/// [groupStart, groupEnd) and vectors [vectorStart, vectorEnd). See InterleavedRows.swift for
/// the layouts.
void genrm_k_x8_matmul(int isa, int kind, const void *groups, size_t groupBytes, size_t groupStart, size_t groupEnd,
                       genrm_k8_vectors vectors, size_t vectorStart, size_t vectorEnd,
                       float *out, size_t outStride);

/// Activation vectors for the Q8_0 kernels: per vector of `cols` values (a multiple of 32),
/// `qs` one byte per value and one float scale `d` per 32 values: the int8 codes plus 128 for
/// GENRM_ISA_AVX512_VNNI, x[i] ~ d[i / 32] * (qs[i] - 128); the int8 codes themselves for
/// GENRM_ISA_AVX2, x[i] ~ d[i / 32] * (int8_t)qs[i].
typedef struct {
    const uint8_t *qs;  // [batch][cols]
    const float *d;     // [batch][cols / 32]
    size_t cols;
} genrm_q8_vectors;

/// out[v * outStride + 8 g + r] = row 8g + r of a Q8_0 matrix in its 8-row layout dotted with
/// vector v (in `isa`'s form, see genrm_q8_vectors), for groups [groupStart, groupEnd) and
/// vectors [vectorStart, vectorEnd). Both instruction sets give the same bits.
void genrm_q8_0_x8_matmul(int isa, const void *groups, size_t groupBytes, size_t groupStart, size_t groupEnd,
                          genrm_q8_vectors vectors, size_t vectorStart, size_t vectorEnd,
                          float *out, size_t outStride);

/// Element types of the rows `genrm_quantize_row` reads.
#define GENRM_ROW_F32 0
#define GENRM_ROW_F16 1
#define GENRM_ROW_BF16 2
/// Encodings `genrm_quantize_row` writes: Q8_0 (34 B per 32 values), Q4_K (144 B per 256).
#define GENRM_QUANT_Q8_0 0
#define GENRM_QUANT_Q4_K 1
/// `genrm_quantize_row`'s answers besides the index of a NaN or infinity.
#define GENRM_QUANTIZE_DONE (-1)
#define GENRM_QUANTIZE_BAD_ARGUMENTS (-2)

/// Quantizes one row of `count` values of `sourceType` (GENRM_ROW_*, little-endian) at `source`
/// into `target` (GENRM_QUANT_*) blocks at `destination`, rounding as ggml's
/// `quantize_row_q8_0_ref` / `quantize_row_q4_K_ref` do, byte for byte, with the Q4_K variant
/// for `isa` (GENRM_ISA_*, as `genrm_cpu_isas` allows; 0 or another architecture: portable C;
/// all variants write the same bytes). Returns GENRM_QUANTIZE_DONE; the index of the row's first NaN or infinity
/// (`destination` then holds a part of the row); or GENRM_QUANTIZE_BAD_ARGUMENTS where `count` is
/// not a whole number of blocks or a type is unknown.
ptrdiff_t genrm_quantize_row(int isa, int target, int sourceType, const void *source, size_t count, void *destination);

#endif
