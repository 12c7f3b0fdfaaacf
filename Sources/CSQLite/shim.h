#ifndef SMITHLOG_CSQLITE_SHIM_H
#define SMITHLOG_CSQLITE_SHIM_H
#include <sqlite3.h>

/* SQLITE_TRANSIENT is a cast macro Swift cannot import. */
static inline sqlite3_destructor_type smith_sqlite_transient(void) { return SQLITE_TRANSIENT; }
static inline sqlite3_destructor_type smith_sqlite_static(void) { return SQLITE_STATIC; }

/* sqlite3_config is variadic, which Swift cannot call: one fixed-argument wrapper per option used.
   SQLITE_CONFIG_MEMSTATUS 0 stops SQLite counting every allocation under a global mutex. It only works
   before SQLite initializes itself (the first open), and returns SQLITE_MISUSE afterwards. */
static inline int smith_sqlite_config_memstatus(int on) { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, on); }

/* sqlite3_db_config is variadic too: one fixed-argument wrapper for its options that take an int and an int*
   (SQLITE_DBCONFIG_DEFENSIVE, _ENABLE_LOAD_EXTENSION, _ENABLE_FTS3_TOKENIZER, _TRUSTED_SCHEMA, ...). Returns
   SQLite's result code; the setting in force afterwards is written to *now. */
static inline int smith_sqlite_db_config_int(sqlite3 *db, int op, int value, int *now) {
    return sqlite3_db_config(db, op, value, now);
}

/* Flushes the file system holding `fd` to disk (Linux; elsewhere a no-op). A bulk catch-up flushes its
   unsynced pages this way while it goes on, through a descriptor of the folder: opening and closing the
   database file itself would drop the POSIX locks SQLite holds on it. */
#ifdef __linux__
int syncfs(int fd);
static inline int smith_syncfs(int fd) { return syncfs(fd); }
#else
static inline int smith_syncfs(int fd) { (void)fd; return 0; }
#endif
#endif
