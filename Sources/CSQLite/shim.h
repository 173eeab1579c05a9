#ifndef DESKGATE_CSQLITE_SHIM_H
#define DESKGATE_CSQLITE_SHIM_H
#include <sqlite3.h>
// SQLITE_TRANSIENT is a cast macro: not importable. Always bind with it (Swift string buffers are temporaries).
static inline sqlite3_destructor_type shim_sqlite_transient(void) { return SQLITE_TRANSIENT; }
// sqlite3_config is C-variadic: unavailable in Swift. MEMSTATUS off removes a global mutex (measured 1.5x on 2 threads).
static inline int shim_sqlite_disable_memstatus(void) { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }
#endif
