#pragma once
#include <nghttp2/nghttp2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// A per-thread cache of nghttp2's small allocations, handed to every nghttp2 session as its
// allocator (`nghttp2_session_server_new3` / `client_new3` with `orderhub_nghttp2_mem()`).
//
// Why: nghttp2 allocates about nine blocks for every stream (the stream, an outbound item per
// HEADERS, DATA and trailers, copies of the header lists) and frees them when the stream
// closes. With many streams in flight, more blocks of one size are alive than glibc's
// per-thread cache holds (7 per size), so most of them went through malloc's slow paths
// (`_int_malloc`, `unlink_chunk`, `malloc_consolidate`): a tenth of a call's CPU on a loaded
// server. Freed blocks up to 512 bytes are kept here instead, in one LIFO list per 32-byte size
// class, at most 64 KiB per thread, and handed out again on the same thread. Per thread rather
// than per session: the sessions of one event loop share recently freed (cache-hot) blocks,
// and an idle connection keeps none.
//
// Invariant: a thread's pool is used only by that thread (it lives in thread-local storage),
// so it takes no lock. Every block handed out starts 16 bytes after a header that records its
// size class (or, for a larger block, its size), so `free` and `realloc`, which nghttp2 calls
// without a size, know where it goes; any thread's pool can take any block back, so a session
// freed on another thread than the one it ran on is still correct. A thread's kept blocks are
// freed when the thread exits.

#include <pthread.h>

enum {
    ORDERHUB_NGHTTP2_POOL_CLASS_SIZE = 32,
    ORDERHUB_NGHTTP2_POOL_CLASSES = 16,            // blocks up to 512 bytes
    ORDERHUB_NGHTTP2_POOL_KEEP_BYTES = 64 * 1024,  // free bytes kept per thread, at most
    ORDERHUB_NGHTTP2_POOL_HEADER = 16,             // keeps malloc's 16-byte alignment
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
    orderhub_nghttp2_pool_block *free_blocks[ORDERHUB_NGHTTP2_POOL_CLASSES];
    uint32_t free_counts[ORDERHUB_NGHTTP2_POOL_CLASSES];
    size_t kept_bytes;
} orderhub_nghttp2_pool;

// The state lives in function-local statics: Swift's importer emits a header's functions
// (with their statics) into the module that calls them, but not the header's own variables.
static inline orderhub_nghttp2_pool **orderhub_nghttp2_thread_pool_slot(void) {
    static _Thread_local orderhub_nghttp2_pool *pool;
    return &pool;
}

static inline pthread_key_t *orderhub_nghttp2_pool_key(void) {
    static pthread_key_t key;
    return &key;
}

static inline orderhub_nghttp2_pool_header *orderhub_nghttp2_pool_header_of(void *ptr) {
    return (orderhub_nghttp2_pool_header *)((char *)ptr - ORDERHUB_NGHTTP2_POOL_HEADER);
}

/// Frees a pool's kept blocks and the pool.
static inline void orderhub_nghttp2_pool_free_all(orderhub_nghttp2_pool *pool) {
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

/// The key's destructor, run on the exiting thread with that thread's pool. It forgets the pool
/// before freeing it: a block nghttp2 frees later in the thread's teardown (another destructor
/// deleting a session) then makes a fresh pool rather than writing into the freed one, and POSIX
/// runs the destructor again for a value set meanwhile.
static inline void orderhub_nghttp2_pool_thread_exit(void *opaque) {
    *orderhub_nghttp2_thread_pool_slot() = NULL;
    orderhub_nghttp2_pool_free_all((orderhub_nghttp2_pool *)opaque);
}

static inline void orderhub_nghttp2_pool_make_key(void) {
    pthread_key_create(orderhub_nghttp2_pool_key(), orderhub_nghttp2_pool_thread_exit);
}

/// The calling thread's pool, made on first use; NULL if it cannot be made (then blocks go
/// straight to malloc and free).
static inline orderhub_nghttp2_pool *orderhub_nghttp2_current_pool(void) {
    orderhub_nghttp2_pool **slot = orderhub_nghttp2_thread_pool_slot();
    if (*slot != NULL) return *slot;
    static pthread_once_t key_once = PTHREAD_ONCE_INIT;
    pthread_once(&key_once, orderhub_nghttp2_pool_make_key);
    orderhub_nghttp2_pool *pool = calloc(1, sizeof(orderhub_nghttp2_pool));
    if (pool == NULL) return NULL;
    if (pthread_setspecific(*orderhub_nghttp2_pool_key(), pool) != 0) {
        free(pool);
        return NULL;
    }
    *slot = pool;
    return pool;
}

static inline void *orderhub_nghttp2_pool_malloc(size_t size, void *user_data) {
    (void)user_data;
    uint32_t size_class = size == 0 ? 0 : (uint32_t)((size - 1) / ORDERHUB_NGHTTP2_POOL_CLASS_SIZE);
    if (size <= ORDERHUB_NGHTTP2_POOL_CLASS_SIZE * ORDERHUB_NGHTTP2_POOL_CLASSES) {
        orderhub_nghttp2_pool *pool = orderhub_nghttp2_current_pool();
        orderhub_nghttp2_pool_block *block = pool == NULL ? NULL : pool->free_blocks[size_class];
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
    (void)user_data;
    if (ptr == NULL) return;
    orderhub_nghttp2_pool_header *header = orderhub_nghttp2_pool_header_of(ptr);
    uint32_t size_class = header->size_class;
    if (size_class < ORDERHUB_NGHTTP2_POOL_CLASSES) {
        orderhub_nghttp2_pool *pool = orderhub_nghttp2_current_pool();
        if (pool != NULL && pool->kept_bytes + header->size <= ORDERHUB_NGHTTP2_POOL_KEEP_BYTES) {
            orderhub_nghttp2_pool_block *block = (orderhub_nghttp2_pool_block *)ptr;
            block->next = pool->free_blocks[size_class];
            pool->free_blocks[size_class] = block;
            pool->free_counts[size_class] += 1;
            pool->kept_bytes += header->size;
            return;
        }
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

/// The allocator every session is given; nghttp2 copies it.
static inline nghttp2_mem *orderhub_nghttp2_mem(void) {
    static nghttp2_mem mem = {
        NULL, orderhub_nghttp2_pool_malloc, orderhub_nghttp2_pool_free, orderhub_nghttp2_pool_calloc,
        orderhub_nghttp2_pool_realloc,
    };
    return &mem;
}

/// Frees the calling thread's pool now, as the thread's exit would; its next allocation makes a
/// new one (for tests).
static inline void orderhub_nghttp2_pool_release_thread(void) {
    orderhub_nghttp2_pool *pool = *orderhub_nghttp2_thread_pool_slot();
    if (pool == NULL) return;
    pthread_setspecific(*orderhub_nghttp2_pool_key(), NULL);
    orderhub_nghttp2_pool_thread_exit(pool);
}

/// Bytes the calling thread's pool keeps for reuse (for tests).
static inline size_t orderhub_nghttp2_pool_kept_bytes(void) {
    orderhub_nghttp2_pool *pool = orderhub_nghttp2_current_pool();
    return pool == NULL ? 0 : pool->kept_bytes;
}
