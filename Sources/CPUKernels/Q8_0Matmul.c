// The Q8_0 matmuls, compiled once per instruction set from Q8_0Kernels.h, and their dispatch.
#include "CPUKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include <string.h>

#define Q8_BLOCK_BYTES 288

#define Q8_ATTR __attribute__((target("avx2,fma,f16c"), always_inline)) static inline
#define Q8_ENTRY __attribute__((target("avx2,fma,f16c")))
#define Q8_VNNI 0
// The block's 8 code words and their magnitudes fill the 16 registers; the vectors' float sums
// live in L1. 16 vectors per loaded block ran the kernel 9% faster than 4 (the loads and
// magnitudes paid once per 16 vectors).
#define Q8_VECTORS 16
#define Q8(name) q8_##name##_avx2
#include "Q8_0Kernels.h"
#undef Q8_ATTR
#undef Q8_ENTRY
#undef Q8_VNNI
#undef Q8_VECTORS
#undef Q8

#define Q8_TARGET "avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni"
#define Q8_ATTR __attribute__((target(Q8_TARGET), always_inline)) static inline
#define Q8_ENTRY __attribute__((target(Q8_TARGET)))
#define Q8_VNNI 1
#define Q8_VECTORS 8
#define Q8(name) q8_##name##_vnni
#include "Q8_0Kernels.h"

void genrm_q8_0_x8_matmul(int isa, const void *groups, size_t groupBytes, size_t groupStart, size_t groupEnd,
                          genrm_q8_vectors vectors, size_t vectorStart, size_t vectorEnd,
                          float *out, size_t outStride) {
    if (isa == GENRM_ISA_AVX512_VNNI) {
        q8_tile_vnni(groups, groupBytes, groupStart, groupEnd, vectors, vectorStart, vectorEnd, out, outStride);
    } else {
        q8_tile_avx2(groups, groupBytes, groupStart, groupEnd, vectors, vectorStart, vectorEnd, out, outStride);
    }
}
#else
void genrm_q8_0_x8_matmul(int isa, const void *groups, size_t groupBytes, size_t groupStart, size_t groupEnd,
                          genrm_q8_vectors vectors, size_t vectorStart, size_t vectorEnd,
                          float *out, size_t outStride) { __builtin_trap(); }
#endif
