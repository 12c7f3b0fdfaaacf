#ifndef SMITHLOG_CZSTD_SHIM_H
#define SMITHLOG_CZSTD_SHIM_H
#include <zstd.h>

/* ZSTD_isError is a function, but the content-size sentinels are macros. */
static inline unsigned long long smith_zstd_content_size_unknown(void) { return ZSTD_CONTENTSIZE_UNKNOWN; }
static inline unsigned long long smith_zstd_content_size_error(void) { return ZSTD_CONTENTSIZE_ERROR; }
#endif
