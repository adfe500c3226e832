#ifndef OCPPSCOPE_BYTE_SCAN_H
#define OCPPSCOPE_BYTE_SCAN_H
#include <stddef.h>
#include <stdint.h>

/// The index after the JSON array or object that starts at `start` in the
/// `n` bytes at `b`: brackets counted outside strings, a backslash in a
/// string escaping the next byte. -1 when it does not end within them.
/// The same answer as reading byte by byte (LogStream's FlatJSON tests
/// compare them on random texts).
ptrdiff_t ocs_nested_end(const uint8_t *b, size_t n, size_t start);

#endif
