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

// MARK: lims_rows — rows held in memory, read by one INSERT … SELECT
//
// A batch of rows (cells row by row, text in one byte arena) that an INSERT … SELECT reads as
// a table: `INSERT INTO t (a, b) SELECT c0, c1 FROM lims_rows(?)` with the batch bound by
// lims_bind_row_batch. SQLite then runs its per-row work (constraints, keys, indexes) inside one
// statement, as for a SELECT from a table, instead of once per prepared INSERT: the VDBE start and
// halt, the cursors on the table, its indexes and the parents of its foreign keys, and the
// lookup tables of its `IN (…)` CHECKs are opened once per batch, not once per row.
// An eponymous table-valued function: nothing to create, and without a batch it has no rows.

#include <string.h>

#define LIMS_CELL_NULL 0
#define LIMS_CELL_INTEGER 1
#define LIMS_CELL_REAL 2
#define LIMS_CELL_TEXT 3

/// One value: an integer, the bits of a double, or the offset of UTF-8 text in the batch's arena.
typedef struct lims_cell {
    sqlite3_int64 value;
    int length;
    int type;
} lims_cell;

typedef struct lims_row_batch {
    const lims_cell *cells;      /* rows × columns, row by row */
    const unsigned char *text;   /* the text arena the cells point into */
    sqlite3_int64 rows;
    int columns;
} lims_row_batch;

/// The columns c0 … c(LIMS_ROWS_COLUMNS − 1) a batch may fill (more than any lims table has).
#define LIMS_ROWS_COLUMNS 40

typedef struct lims_rows_cursor {
    sqlite3_vtab_cursor base;
    const lims_row_batch *batch;
    sqlite3_int64 row;
} lims_rows_cursor;

static inline int lims_rows_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                             sqlite3_vtab **table, char **error) {
    (void)aux; (void)argc; (void)argv; (void)error;
    /* c0 … c39 (LIMS_ROWS_COLUMNS), then the batch argument. */
    static const char schema[] = "CREATE TABLE x(c0,c1,c2,c3,c4,c5,c6,c7,c8,c9,c10,c11,c12,c13,c14,c15,c16,c17,c18,c19,c20,c21,c22,c23,c24,c25,c26,c27,c28,c29,c30,c31,c32,c33,c34,c35,c36,c37,c38,c39,batch HIDDEN)";
    int code = sqlite3_declare_vtab(db, schema);
    if (code != SQLITE_OK) return code;
    sqlite3_vtab *made = (sqlite3_vtab *)sqlite3_malloc(sizeof *made);
    if (!made) return SQLITE_NOMEM;
    memset(made, 0, sizeof *made);
    *table = made;
    return SQLITE_OK;
}

static inline int lims_rows_disconnect(sqlite3_vtab *table) {
    sqlite3_free(table);
    return SQLITE_OK;
}

/// The batch argument (hidden column `batch` = ?) is required; without it the table is empty.
static inline int lims_rows_best_index(sqlite3_vtab *table, sqlite3_index_info *info) {
    (void)table;
    for (int i = 0; i < info->nConstraint; i++) {
        const struct sqlite3_index_constraint *c = &info->aConstraint[i];
        if (c->iColumn == LIMS_ROWS_COLUMNS && c->op == SQLITE_INDEX_CONSTRAINT_EQ) {
            if (!c->usable) return SQLITE_CONSTRAINT;
            info->aConstraintUsage[i].argvIndex = 1;
            info->aConstraintUsage[i].omit = 1;
            info->idxNum = 1;
            info->estimatedCost = 1;
            info->estimatedRows = 4096;
            return SQLITE_OK;
        }
    }
    info->idxNum = 0;
    info->estimatedCost = 1e12;
    info->estimatedRows = 0;
    return SQLITE_OK;
}

static inline int lims_rows_open(sqlite3_vtab *table, sqlite3_vtab_cursor **cursor) {
    (void)table;
    lims_rows_cursor *made = (lims_rows_cursor *)sqlite3_malloc(sizeof *made);
    if (!made) return SQLITE_NOMEM;
    memset(made, 0, sizeof *made);
    *cursor = &made->base;
    return SQLITE_OK;
}

static inline int lims_rows_close(sqlite3_vtab_cursor *cursor) {
    sqlite3_free(cursor);
    return SQLITE_OK;
}

static inline int lims_rows_filter(sqlite3_vtab_cursor *cursor, int idxNum, const char *idxStr,
                            int argc, sqlite3_value **argv) {
    (void)idxStr;
    lims_rows_cursor *c = (lims_rows_cursor *)cursor;
    c->batch = (idxNum == 1 && argc == 1) ? (const lims_row_batch *)sqlite3_value_pointer(argv[0], "lims_row_batch") : 0;
    c->row = 0;
    return SQLITE_OK;
}

static inline int lims_rows_next(sqlite3_vtab_cursor *cursor) {
    ((lims_rows_cursor *)cursor)->row++;
    return SQLITE_OK;
}

static inline int lims_rows_eof(sqlite3_vtab_cursor *cursor) {
    const lims_rows_cursor *c = (const lims_rows_cursor *)cursor;
    return !c->batch || c->row >= c->batch->rows;
}

static inline int lims_rows_column(sqlite3_vtab_cursor *cursor, sqlite3_context *context, int column) {
    const lims_rows_cursor *c = (const lims_rows_cursor *)cursor;
    const lims_row_batch *b = c->batch;
    if (!b || column >= b->columns) { sqlite3_result_null(context); return SQLITE_OK; }
    const lims_cell *cell = &b->cells[c->row * b->columns + column];
    switch (cell->type) {
    case LIMS_CELL_INTEGER: sqlite3_result_int64(context, cell->value); break;
    case LIMS_CELL_REAL: { double d; memcpy(&d, &cell->value, sizeof d); sqlite3_result_double(context, d); break; }
    /* The batch outlives the statement's run: SQLite may point at the text instead of copying it. */
    case LIMS_CELL_TEXT: sqlite3_result_text(context, (const char *)b->text + cell->value, cell->length, SQLITE_STATIC); break;
    default: sqlite3_result_null(context); break;
    }
    return SQLITE_OK;
}

static inline int lims_rows_rowid(sqlite3_vtab_cursor *cursor, sqlite3_int64 *rowid) {
    *rowid = ((const lims_rows_cursor *)cursor)->row + 1;
    return SQLITE_OK;
}

/// Registers lims_rows on a connection (once per connection).
static inline int lims_register_rows_module(sqlite3 *db) {
    static const sqlite3_module module = {
        .iVersion = 0,
        .xCreate = 0,   /* eponymous only: usable as lims_rows(?) without CREATE VIRTUAL TABLE */
        .xConnect = lims_rows_connect,
        .xBestIndex = lims_rows_best_index,
        .xDisconnect = lims_rows_disconnect,
        .xDestroy = 0,
        .xOpen = lims_rows_open,
        .xClose = lims_rows_close,
        .xFilter = lims_rows_filter,
        .xNext = lims_rows_next,
        .xEof = lims_rows_eof,
        .xColumn = lims_rows_column,
        .xRowid = lims_rows_rowid,
    };
    return sqlite3_create_module(db, "lims_rows", &module, 0);
}

/// Binds a batch to the `?` of lims_rows(?). The type name must be a static string: a C literal here.
static inline int lims_bind_row_batch(sqlite3_stmt *statement, int index, const lims_row_batch *batch) {
    return sqlite3_bind_pointer(statement, index, (void *)batch, "lims_row_batch", 0);
}

#endif
