#include <sqlite3.h>

/// sqlite3_config is variadic, which Swift cannot call: this sets the one
/// option ocppscope needs before SQLite starts (SQLiteDatabase explains why).
static inline int ocppscope_sqlite3_memstatus_off(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
