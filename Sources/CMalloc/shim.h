#ifndef SMITHLOG_CMALLOC_SHIM_H
#define SMITHLOG_CMALLOC_SHIM_H
#include <malloc.h>

/* glibc's mallopt(M_MMAP_THRESHOLD, n), which Swift's Glibc module does not expose (malloc.h is not in it).
   Setting it also turns off glibc's dynamic threshold. Returns 1 on success. */
static inline int smith_malloc_set_mmap_threshold(int bytes) { return mallopt(M_MMAP_THRESHOLD, bytes); }
#endif
