/* bench_load.h - the C side of bench-systemc (bench_load.c). */
#ifndef SERRSIM_BENCH_LOAD_H
#define SERRSIM_BENCH_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "pe.h"

#ifdef __cplusplus
extern "C" {
#endif

struct ss_pe *bench_sc_load(const char *name, const char *text, size_t len);
char *bench_sc_read_file(const char *path, size_t *len);
uint64_t bench_sc_now_ns(void);

#ifdef __cplusplus
}
#endif

#endif
