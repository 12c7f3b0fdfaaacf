#ifndef SMITHLOG_CMALLOC_SHIM_H
#define SMITHLOG_CMALLOC_SHIM_H
/* Any C library header defines __GLIBC__ under glibc; stdlib.h exists everywhere. */
#include <stdlib.h>

#if defined(__GLIBC__)
#include <malloc.h>

/* glibc's mallopt(M_MMAP_THRESHOLD, n), which Swift's Glibc module does not expose (malloc.h is not in it).
   Setting it also turns off glibc's dynamic threshold. Returns 1 on success. */
static inline int smith_malloc_set_mmap_threshold(int bytes) { return mallopt(M_MMAP_THRESHOLD, bytes); }
/* glibc's mallopt(M_ARENA_MAX, n): at most n malloc arenas, however many threads allocate. */
static inline int smith_malloc_set_arena_max(int arenas) { return mallopt(M_ARENA_MAX, arenas); }

/* Hands free heap memory back to the system (the top of each arena and whole free pages inside it). */
static inline void smith_malloc_trim(void) { (void)malloc_trim(0); }
#else
/* Other C libraries (musl, Darwin's) have none of these knobs: the calls do nothing, and the setters report
   failure (0) as mallopt would. */
static inline int smith_malloc_set_mmap_threshold(int bytes) { (void)bytes; return 0; }
static inline int smith_malloc_set_arena_max(int arenas) { (void)arenas; return 0; }
static inline void smith_malloc_trim(void) {}
#endif
#endif
