#ifndef OCPPSCOPE_GZIP_FILE_H
#define OCPPSCOPE_GZIP_FILE_H
#include <stdio.h>

/// A stdio stream that transparently inflates gzip (and passes plain files
/// through), so that libpcap can read `.pcap.gz` and `.pcapng.gz` as a stream
/// with no temporary copy.
typedef struct {
    FILE *file;     ///< hand to pcap_fopen_offline; closing it frees everything
    void *cookie;   ///< private; valid until `file` is closed
} ocs_gzip_stream;

/// Opens `path`; returns 0, or -1 with errno set.
int ocs_gzip_open(const char *path, ocs_gzip_stream *out);

/// Bytes of the underlying (compressed) file consumed so far, for progress.
/// Only while `stream->file` is open.
long long ocs_gzip_consumed(const ocs_gzip_stream *stream);

#endif
