#ifndef SMITHLOG_CLMDB_SHIM_H
#define SMITHLOG_CLMDB_SHIM_H
#include <lmdb.h>

/* Swift cannot see function-like macros; these wrap what LMDB exposes that way. */
static inline const void *smith_mdb_val_data(const MDB_val *v) { return v->mv_data; }
#endif
