/* Does this machine keep its cores' speed when all of them work? Three loops with no
 * memory traffic to speak of, timed on one CPU (pin it with taskset):
 *   chain   a dependent chain of integer adds (latency-bound; reads as "GHz" where one
 *           add takes one cycle, more where the core folds immediates)
 *   fma     12 independent AVX-512 FMA chains (bound by the FP ports)
 *   gather  16-lane gathers from an L1-resident table (bound by the load ports)
 * Run it alone and on every CPU at once (bench/hkl_scaling.sh does both): a CPU whose
 * figures halve under load shares its physical core with another busy thread.
 *   cc -O2 -mavx512f bench/core_probe.c -o core_probe; taskset -c 0 ./core_probe [seconds]
 */
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static long add_chain(long n) {
    long x = 0;
    for (long i = 0; i < n; i++) __asm__ volatile("add $1,%0\n\tadd $1,%0\n\tadd $1,%0\n\tadd $1,%0" : "+r"(x));
    return x;
}

static float fma_chains(long n) {
    __m512 a[12];
    const __m512 m = _mm512_set1_ps(0.999999f), c = _mm512_set1_ps(1e-7f);
    for (int i = 0; i < 12; i++) a[i] = _mm512_set1_ps((float)i);
    for (long k = 0; k < n; k++) {
        for (int i = 0; i < 12; i++) a[i] = _mm512_fmadd_ps(a[i], m, c);
        __asm__ volatile("" ::"v"(a[0]), "v"(a[5]), "v"(a[11]));
    }
    __m512 s = a[0];
    for (int i = 1; i < 12; i++) s = _mm512_add_ps(s, a[i]);
    return _mm512_reduce_add_ps(s);
}

static float table[4096];

static float gathers(long n) {
    __m512i idx[4];
    for (int j = 0; j < 4; j++) {
        int v[16];
        for (int i = 0; i < 16; i++) v[i] = (i * 37 + j * 101) & 4095;
        idx[j] = _mm512_loadu_si512(v);
    }
    __m512 s[4] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps()};
    for (long k = 0; k < n; k++)
        for (int j = 0; j < 4; j++) s[j] = _mm512_add_ps(s[j], _mm512_i32gather_ps(idx[j], table, 4));
    return _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(s[0], s[1]), _mm512_add_ps(s[2], s[3])));
}

int main(int argc, char** argv) {
    const double seconds = argc > 1 ? atof(argv[1]) : 0.3;
    volatile double sink = 0;
    for (int i = 0; i < 4096; i++) table[i] = i * 0.5f;
    long it = 0;
    double t0 = now();
    while (now() - t0 < seconds) sink += add_chain(1000000), it += 1000000;
    printf("chain_GHz %.3f ", 4.0 * it / (now() - t0) * 1e-9);
    it = 0, t0 = now();
    while (now() - t0 < seconds) sink += fma_chains(100000), it += 100000;
    printf("fma_ns_per_12 %.3f ", (now() - t0) / it * 1e9);
    it = 0, t0 = now();
    while (now() - t0 < seconds) sink += gathers(100000), it += 100000;
    printf("gather_ns %.3f\n", (now() - t0) / it / 4 * 1e9);
    return 0;
}
