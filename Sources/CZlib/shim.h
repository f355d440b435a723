#ifndef LIMS_CZLIB_SHIM_H
#define LIMS_CZLIB_SHIM_H

#include <zlib.h>

// inflateInit2 is a macro (it passes ZLIB_VERSION and sizeof(z_stream)): Swift cannot call it.
// windowBits -15 = a raw deflate stream, as ZIP entries store it (no zlib header or trailer).
static inline int lims_inflate_init_raw(z_stream *stream) {
    return inflateInit2(stream, -15);
}

#endif
