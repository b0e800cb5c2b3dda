#include "CPUKernels.h"

#if defined(__x86_64__)
#include <cpuid.h>

/// XCR0: which register states the OS saves on a context switch.
static uint64_t xcr0(void) {
    uint32_t eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((uint64_t)edx << 32) | eax;
}

int genrm_cpu_isas(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    const int fma = (c >> 12) & 1, osxsave = (c >> 27) & 1, avx = (c >> 28) & 1, f16c = (c >> 29) & 1;
    if (!(fma && osxsave && avx && f16c)) return 0;
    const uint64_t state = xcr0();
    if ((state & 0x6) != 0x6) return 0;  // SSE and AVX (ymm) state
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    int isas = 0;
    if ((b >> 5) & 1) isas |= GENRM_ISA_AVX2;
    const int avx512f = (b >> 16) & 1, avx512bw = (b >> 30) & 1, avx512vl = (b >> 31) & 1;
    const int vnni = (c >> 11) & 1;
    if ((isas & GENRM_ISA_AVX2) && avx512f && avx512bw && avx512vl && vnni && (state & 0xE0) == 0xE0) {
        isas |= GENRM_ISA_AVX512_VNNI;  // opmask and zmm state saved too
    }
    return isas;
}
#else
int genrm_cpu_isas(void) { return 0; }
#endif
