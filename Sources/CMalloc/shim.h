#ifndef SMITHLOG_CMALLOC_SHIM_H
#define SMITHLOG_CMALLOC_SHIM_H
#include <stdlib.h>

/* glibc's malloc tuning, reached only through smithlog's heap policy (SmithIngest's HeapPolicy). Other C
   libraries (macOS, musl) have no mallopt/malloc_trim: there these do nothing and report that (return 0). */
#if defined(__GLIBC__)
#include <malloc.h>

/* mallopt(M_MMAP_THRESHOLD, n), which Swift's Glibc module does not expose (malloc.h is not in it).
   Setting it also turns off glibc's dynamic threshold. Returns 1 on success. */
static inline int smith_malloc_set_mmap_threshold(int bytes) { return mallopt(M_MMAP_THRESHOLD, bytes); }
/* mallopt(M_ARENA_MAX, n): at most n malloc arenas, however many threads allocate. */
static inline int smith_malloc_set_arena_max(int arenas) { return mallopt(M_ARENA_MAX, arenas); }
/* Hands free heap memory back to the system (the top of each arena and whole free pages inside it). */
static inline void smith_malloc_trim(void) { (void)malloc_trim(0); }
#else
static inline int smith_malloc_set_mmap_threshold(int bytes) { (void)bytes; return 0; }
static inline int smith_malloc_set_arena_max(int arenas) { (void)arenas; return 0; }
static inline void smith_malloc_trim(void) {}
#endif
#endif
