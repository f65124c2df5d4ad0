import CNghttp2
import Foundation
import Synchronization
import Testing

/// The allocator every session hands nghttp2 (`orderhub_nghttp2_mem` in the CNghttp2 shim): a
/// freed small block comes back on the same thread, contents survive `realloc`, `calloc` zeroes
/// a reused block, and what a thread keeps is bounded.
///
/// Each test runs on a thread of its own, so that it starts from that thread's empty pool.
@Suite("nghttp2 allocation pool")
struct Nghttp2PoolTests {
    private struct Allocator {
        let mem = orderhub_nghttp2_mem()!.pointee
        var keptBytes: Int { orderhub_nghttp2_pool_kept_bytes() }
        func malloc(_ size: Int) -> UnsafeMutableRawPointer? { mem.malloc(size, nil) }
        func free(_ pointer: UnsafeMutableRawPointer?) { mem.free(pointer, nil) }
        func calloc(_ count: Int, _ size: Int) -> UnsafeMutableRawPointer? { mem.calloc(count, size, nil) }
        func realloc(_ pointer: UnsafeMutableRawPointer?, _ size: Int) -> UnsafeMutableRawPointer? {
            mem.realloc(pointer, size, nil)
        }
    }

    /// Runs `body` on a new thread and waits for it.
    private func onNewThread(_ body: @escaping @Sendable (Allocator) -> Void) {
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            body(Allocator())
            done.signal()
        }
        thread.start()
        done.wait()
    }

    @Test("a freed small block is handed out again for a request of its size class, 16-byte aligned")
    func reusesSmallBlocks() {
        onNewThread { pool in
            let first = pool.malloc(150)!
            #expect(Int(bitPattern: first) % 16 == 0)
            #expect(pool.keptBytes == 0)
            pool.free(first)
            #expect(pool.keptBytes == 160)
            // 129...160 bytes share a class.
            let second = pool.malloc(131)!
            #expect(second == first)
            #expect(pool.keptBytes == 0)
            // Another class does not take it.
            pool.free(second)
            let other = pool.malloc(200)!
            #expect(other != first)
            pool.free(other)
            #expect(pool.keptBytes == 160 + 224)
        }
    }

    @Test("a block freed on another thread goes to that thread's pool")
    func blocksMoveBetweenThreads() {
        let address = Mutex(0)
        onNewThread { pool in address.withLock { $0 = Int(bitPattern: pool.malloc(64)) } }
        onNewThread { pool in
            let pointer = UnsafeMutableRawPointer(bitPattern: address.withLock { $0 })!
            pool.free(pointer)
            #expect(pool.keptBytes == 64)
            #expect(pool.malloc(64) == pointer)
        }
    }

    @Test("blocks above 512 bytes are not kept")
    func largeBlocksGoBack() {
        onNewThread { pool in
            let large = pool.malloc(513)!
            memset(large, 0x5a, 513)
            pool.free(large)
            #expect(pool.keptBytes == 0)
        }
    }

    @Test("at most 64 KiB of free blocks are kept per thread")
    func keptBytesAreBounded() {
        onNewThread { pool in
            let blocks = (0..<300).map { _ in pool.malloc(512)! }
            for block in blocks { pool.free(block) }
            #expect(pool.keptBytes == 64 * 1024)
        }
    }

    @Test("a thread's pool, once freed, is replaced by a fresh one rather than reused")
    func aFreedPoolIsForgotten() {
        onNewThread { pool in
            pool.free(pool.malloc(100)!)
            #expect(pool.keptBytes == 128)
            // What the thread's exit does; a block freed after it (a session deleted by a later
            // destructor) must go to a new pool, not into the freed one.
            orderhub_nghttp2_pool_release_thread()
            #expect(pool.keptBytes == 0)
            pool.free(pool.malloc(100)!)
            #expect(pool.keptBytes == 128)
            // The thread's exit then frees this second pool through the key's destructor.
        }
    }

    @Test("calloc zeroes a reused block, and refuses a size that overflows")
    func callocZeroes() {
        onNewThread { pool in
            let dirty = pool.malloc(64)!
            memset(dirty, 0xff, 64)
            pool.free(dirty)
            let clean = pool.calloc(8, 8)!
            #expect(clean == dirty)
            #expect(UnsafeRawBufferPointer(start: clean, count: 64).allSatisfy { $0 == 0 })
            pool.free(clean)
            #expect(pool.calloc(Int.max, 4) == nil)
        }
    }

    @Test("realloc keeps the contents, within a class and across classes and into a large block")
    func reallocKeepsContents() {
        onNewThread { pool in
            var block = pool.malloc(20)!
            for index in 0..<20 { block.storeBytes(of: UInt8(index), toByteOffset: index, as: UInt8.self) }
            // Still fits the 32-byte class: the same block.
            #expect(pool.realloc(block, 30) == block)
            block = pool.realloc(block, 300)!
            #expect((0..<20).allSatisfy { block.load(fromByteOffset: $0, as: UInt8.self) == UInt8($0) })
            block = pool.realloc(block, 4_000)!
            #expect((0..<20).allSatisfy { block.load(fromByteOffset: $0, as: UInt8.self) == UInt8($0) })
            #expect(pool.realloc(block, 0) == nil)
            let fresh = pool.realloc(nil, 10)
            #expect(fresh != nil)
            pool.free(fresh)
        }
    }
}
