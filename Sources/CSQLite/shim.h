#ifndef LIMS_CSQLITE_SHIM_H
#define LIMS_CSQLITE_SHIM_H

#include <sqlite3.h>

// SQLITE_TRANSIENT is a cast of -1 to a function pointer: Swift cannot import it.
static inline sqlite3_destructor_type lims_sqlite_transient(void) {
    return SQLITE_TRANSIENT;
}

// sqlite3_db_config is variadic: Swift cannot call it directly.
static inline int lims_db_config_int(sqlite3 *db, int op, int value, int *result) {
    return sqlite3_db_config(db, op, value, result);
}

// sqlite3_config is variadic too. Memory statistics off: every SQLite malloc then skips a
// global mutex (about 2 % of a large import); lims never reads sqlite3_memory_used().
// Must run before SQLite initialises; later it returns SQLITE_MISUSE and changes nothing.
static inline int lims_config_memstatus_off(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

#endif
