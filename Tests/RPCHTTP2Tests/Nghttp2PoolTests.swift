import CNghttp2
import Testing

/// The allocator the sessions hand nghttp2 (`orderhub_nghttp2_pool` in the CNghttp2 shim):
/// freed small blocks come back to the same session, contents survive `realloc`, `calloc`
/// zeroes a reused block, and what it keeps is bounded.
@Suite("nghttp2 allocation pool")
struct Nghttp2PoolTests {
    private final class Pool {
        let pool = orderhub_nghttp2_pool_create()!
        deinit { orderhub_nghttp2_pool_destroy(pool) }
        var mem: nghttp2_mem { pool.pointee.mem }
        var keptBytes: Int { orderhub_nghttp2_pool_kept_bytes(pool) }
        func malloc(_ size: Int) -> UnsafeMutableRawPointer? { mem.malloc(size, mem.mem_user_data) }
        func free(_ pointer: UnsafeMutableRawPointer?) { mem.free(pointer, mem.mem_user_data) }
        func calloc(_ count: Int, _ size: Int) -> UnsafeMutableRawPointer? { mem.calloc(count, size, mem.mem_user_data) }
        func realloc(_ pointer: UnsafeMutableRawPointer?, _ size: Int) -> UnsafeMutableRawPointer? {
            mem.realloc(pointer, size, mem.mem_user_data)
        }
    }

    @Test("a freed small block is handed out again for a request of its size class, 16-byte aligned")
    func reusesSmallBlocks() throws {
        let pool = Pool()
        let first = try #require(pool.malloc(150))
        #expect(Int(bitPattern: first) % 16 == 0)
        pool.free(first)
        #expect(pool.keptBytes == 160)
        // 129...160 bytes share a class.
        let second = try #require(pool.malloc(131))
        #expect(second == first)
        #expect(pool.keptBytes == 0)
        // Another class does not take it.
        pool.free(second)
        let other = try #require(pool.malloc(200))
        #expect(other != first)
        pool.free(other)
        #expect(pool.keptBytes == 160 + 224)
    }

    @Test("blocks above 512 bytes are not kept")
    func largeBlocksGoBack() throws {
        let pool = Pool()
        let large = try #require(pool.malloc(513))
        memset(large, 0x5a, 513)
        pool.free(large)
        #expect(pool.keptBytes == 0)
    }

    @Test("at most 64 KiB of free blocks are kept")
    func keptBytesAreBounded() throws {
        let pool = Pool()
        let blocks = (0..<300).map { _ in pool.malloc(512)! }
        for block in blocks { pool.free(block) }
        #expect(pool.keptBytes == 64 * 1024)
    }

    @Test("calloc zeroes a reused block, and refuses a size that overflows")
    func callocZeroes() throws {
        let pool = Pool()
        let dirty = try #require(pool.malloc(64))
        memset(dirty, 0xff, 64)
        pool.free(dirty)
        let clean = try #require(pool.calloc(8, 8))
        #expect(clean == dirty)
        #expect(UnsafeRawBufferPointer(start: clean, count: 64).allSatisfy { $0 == 0 })
        pool.free(clean)
        #expect(pool.calloc(Int.max, 4) == nil)
    }

    @Test("realloc keeps the contents, within a class and across classes and into a large block")
    func reallocKeepsContents() throws {
        let pool = Pool()
        var block = try #require(pool.malloc(20))
        for index in 0..<20 { block.storeBytes(of: UInt8(index), toByteOffset: index, as: UInt8.self) }
        // Still fits the 32-byte class: the same block.
        #expect(pool.realloc(block, 30) == block)
        block = try #require(pool.realloc(block, 300))
        #expect((0..<20).allSatisfy { block.load(fromByteOffset: $0, as: UInt8.self) == UInt8($0) })
        block = try #require(pool.realloc(block, 4_000))
        #expect((0..<20).allSatisfy { block.load(fromByteOffset: $0, as: UInt8.self) == UInt8($0) })
        #expect(pool.realloc(block, 0) == nil)
        #expect(pool.realloc(nil, 10) != nil)
    }
}
