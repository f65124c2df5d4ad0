#pragma once
#include <nghttp2/nghttp2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// A per-session cache of nghttp2's small allocations, handed to nghttp2 as its allocator
// (`nghttp2_session_server_new3`).
//
// Why: nghttp2 allocates about nine blocks for every stream (the stream, an outbound item per
// HEADERS, DATA and trailers, copies of the header lists) and frees them when the stream
// closes. With many streams in flight, more blocks of one size are alive than glibc's
// per-thread cache holds (7 per size), so most of them went through malloc's slow paths
// (`_int_malloc`, `unlink_chunk`, `malloc_consolidate`): a tenth of a call's CPU on a loaded
// server. Freed blocks up to 512 bytes are kept here instead, in one LIFO list per 32-byte size
// class, and handed out again to the same session; at most 64 KiB of them per session, so a
// burst of large header fields does not stay with the connection.
//
// Invariant: a pool belongs to one nghttp2 session and is used only on the thread that runs
// that session (the channel's event loop), so it takes no lock. Every block it hands out starts
// 16 bytes after a header that records its size class (or, for a larger block, its size), so
// `free` and `realloc`, which nghttp2 calls without a size, know where it goes. The pool is
// destroyed only after `nghttp2_session_del`, which returns every block first.

enum {
    ORDERHUB_NGHTTP2_POOL_CLASS_SIZE = 32,
    ORDERHUB_NGHTTP2_POOL_CLASSES = 16,  // blocks up to 512 bytes
    ORDERHUB_NGHTTP2_POOL_KEEP_BYTES = 64 * 1024,  // free bytes kept per session, at most
    ORDERHUB_NGHTTP2_POOL_HEADER = 16,   // keeps malloc's 16-byte alignment
};

typedef struct orderhub_nghttp2_pool_header {
    uint32_t size_class;  // ORDERHUB_NGHTTP2_POOL_CLASSES for a block of its own
    uint32_t unused;
    size_t size;          // usable bytes
} orderhub_nghttp2_pool_header;

typedef struct orderhub_nghttp2_pool_block {
    struct orderhub_nghttp2_pool_block *next;
} orderhub_nghttp2_pool_block;

typedef struct orderhub_nghttp2_pool {
    nghttp2_mem mem;
    orderhub_nghttp2_pool_block *free_blocks[ORDERHUB_NGHTTP2_POOL_CLASSES];
    uint32_t free_counts[ORDERHUB_NGHTTP2_POOL_CLASSES];
    size_t kept_bytes;
} orderhub_nghttp2_pool;

static inline orderhub_nghttp2_pool_header *orderhub_nghttp2_pool_header_of(void *ptr) {
    return (orderhub_nghttp2_pool_header *)((char *)ptr - ORDERHUB_NGHTTP2_POOL_HEADER);
}

static inline void *orderhub_nghttp2_pool_malloc(size_t size, void *user_data) {
    orderhub_nghttp2_pool *pool = (orderhub_nghttp2_pool *)user_data;
    uint32_t size_class = size == 0 ? 0 : (uint32_t)((size - 1) / ORDERHUB_NGHTTP2_POOL_CLASS_SIZE);
    if (size <= ORDERHUB_NGHTTP2_POOL_CLASS_SIZE * ORDERHUB_NGHTTP2_POOL_CLASSES) {
        orderhub_nghttp2_pool_block *block = pool->free_blocks[size_class];
        if (block != NULL) {
            pool->free_blocks[size_class] = block->next;
            pool->free_counts[size_class] -= 1;
            pool->kept_bytes -= (size_t)(size_class + 1) * ORDERHUB_NGHTTP2_POOL_CLASS_SIZE;
            return block;
        }
        size = (size_t)(size_class + 1) * ORDERHUB_NGHTTP2_POOL_CLASS_SIZE;
    } else {
        size_class = ORDERHUB_NGHTTP2_POOL_CLASSES;
    }
    orderhub_nghttp2_pool_header *header = malloc(ORDERHUB_NGHTTP2_POOL_HEADER + size);
    if (header == NULL) return NULL;
    header->size_class = size_class;
    header->size = size;
    return (char *)header + ORDERHUB_NGHTTP2_POOL_HEADER;
}

static inline void orderhub_nghttp2_pool_free(void *ptr, void *user_data) {
    if (ptr == NULL) return;
    orderhub_nghttp2_pool *pool = (orderhub_nghttp2_pool *)user_data;
    orderhub_nghttp2_pool_header *header = orderhub_nghttp2_pool_header_of(ptr);
    uint32_t size_class = header->size_class;
    if (size_class < ORDERHUB_NGHTTP2_POOL_CLASSES && pool->kept_bytes + header->size <= ORDERHUB_NGHTTP2_POOL_KEEP_BYTES) {
        orderhub_nghttp2_pool_block *block = (orderhub_nghttp2_pool_block *)ptr;
        block->next = pool->free_blocks[size_class];
        pool->free_blocks[size_class] = block;
        pool->free_counts[size_class] += 1;
        pool->kept_bytes += header->size;
        return;
    }
    free(header);
}

static inline void *orderhub_nghttp2_pool_calloc(size_t count, size_t size, void *user_data) {
    if (size != 0 && count > SIZE_MAX / size) return NULL;
    void *ptr = orderhub_nghttp2_pool_malloc(count * size, user_data);
    if (ptr != NULL) memset(ptr, 0, count * size);
    return ptr;
}

static inline void *orderhub_nghttp2_pool_realloc(void *ptr, size_t size, void *user_data) {
    if (ptr == NULL) return orderhub_nghttp2_pool_malloc(size, user_data);
    if (size == 0) {
        orderhub_nghttp2_pool_free(ptr, user_data);
        return NULL;
    }
    size_t held = orderhub_nghttp2_pool_header_of(ptr)->size;
    if (size <= held) return ptr;
    void *grown = orderhub_nghttp2_pool_malloc(size, user_data);
    if (grown == NULL) return NULL;
    memcpy(grown, ptr, held);
    orderhub_nghttp2_pool_free(ptr, user_data);
    return grown;
}

/// An empty pool whose `mem` is ready for `nghttp2_session_*_new3`.
static inline orderhub_nghttp2_pool *orderhub_nghttp2_pool_create(void) {
    orderhub_nghttp2_pool *pool = calloc(1, sizeof(orderhub_nghttp2_pool));
    if (pool == NULL) return NULL;
    pool->mem.mem_user_data = pool;
    pool->mem.malloc = orderhub_nghttp2_pool_malloc;
    pool->mem.free = orderhub_nghttp2_pool_free;
    pool->mem.calloc = orderhub_nghttp2_pool_calloc;
    pool->mem.realloc = orderhub_nghttp2_pool_realloc;
    return pool;
}

/// Frees the kept blocks and the pool. Only after the session that used it is deleted.
static inline void orderhub_nghttp2_pool_destroy(orderhub_nghttp2_pool *pool) {
    if (pool == NULL) return;
    for (int size_class = 0; size_class < ORDERHUB_NGHTTP2_POOL_CLASSES; size_class++) {
        orderhub_nghttp2_pool_block *block = pool->free_blocks[size_class];
        while (block != NULL) {
            orderhub_nghttp2_pool_block *next = block->next;
            free(orderhub_nghttp2_pool_header_of(block));
            block = next;
        }
    }
    free(pool);
}

/// Bytes the pool keeps for reuse (for tests).
static inline size_t orderhub_nghttp2_pool_kept_bytes(const orderhub_nghttp2_pool *pool) {
    return pool->kept_bytes;
}
