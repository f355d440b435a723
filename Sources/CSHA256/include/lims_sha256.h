#ifndef LIMS_SHA256_H
#define LIMS_SHA256_H

#include <stddef.h>
#include <stdint.h>

// SHA-256 block compression with the CPU's SHA instructions (x86-64 SHA-NI), for the audit
// chain and file fingerprints (SHA256.swift). Swift's own compression is the reference and the
// fallback: these functions are used only when lims_sha256_hardware() says the CPU has them.

// 1 when this CPU has the SHA, SSSE3 and SSE4.1 instructions (x86-64 only), else 0.
int lims_sha256_hardware(void);

// Compresses `blocks` consecutive 64-byte blocks at `data` into `state` (the eight words
// H0…H7 of FIPS 180-4, in that order). Call only when lims_sha256_hardware() is 1.
void lims_sha256_blocks(uint32_t state[8], const uint8_t *data, size_t blocks);

#endif
