#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Scratch memory for building protobuf-c structures just long enough to pack them.
///
/// Packing needs C structs whose strings and repeated fields point at C memory. An arena starts with a
/// caller-provided (usually stack) block and chains `malloc`ed blocks when that runs out, so packing a
/// small message allocates nothing on the heap and a large one allocates a few blocks, all freed together.
/// Nothing allocated here may outlive the arena: it is non-copyable and frees its blocks in `deinit`.
struct CArena: ~Copyable {
    /// Size of the first block, taken from the stack by ``withArena(_:)``; 1 KiB is the largest size the
    /// standard library always places on the stack.
    static let initialCapacity = 1024
    private static let overflowBlockSize = 16 * 1024

    private var cursor: UnsafeMutableRawPointer
    private var end: UnsafeMutableRawPointer
    /// Bytes ``allocateBytes(_:)`` may still hand out (protobuf-c's unpacking); unlimited unless set.
    var unpackBudget = Int.max
    /// Set when ``allocateBytes(_:)`` refused an allocation over ``unpackBudget``.
    private(set) var exceededBudget = false
    /// Most recent heap block; each block's first word points at the previous one.
    private var overflow: UnsafeMutableRawPointer?

    private init(block: UnsafeMutableRawBufferPointer) {
        cursor = block.baseAddress!
        end = block.baseAddress! + block.count
        overflow = nil
    }

    deinit {
        var block = overflow
        while let current = block {
            block = current.load(as: UnsafeMutableRawPointer?.self)
            free(current)
        }
    }

    /// Runs `body` with an arena whose first block lives on the stack.
    static func withArena<R>(_ body: (inout CArena) throws -> R) rethrows -> R {
        try withUnsafeTemporaryAllocation(byteCount: 1024, alignment: 16) { block in
            var arena = CArena(block: block)
            return try body(&arena)
        }
    }

    /// Returns `size` bytes aligned as `malloc` aligns (16), for protobuf-c's unpacking allocator, or `nil` once
    /// the allocations would pass ``unpackBudget`` (protobuf-c then fails the unpack, as on `malloc` failure).
    ///
    /// Each allocation is preceded by a 16-byte header holding `size`, read back by ``allocationSize(of:)``: the
    /// string checks use it to tell a string protobuf-c cut at an inner U+0000 from a whole one.
    mutating func allocateBytes(_ size: Int) -> UnsafeMutableRawPointer? {
        let blocks = (size + 15) / 16 + 1
        guard blocks * 16 <= unpackBudget else {
            exceededBudget = true
            return nil
        }
        unpackBudget -= blocks * 16
        let block = UnsafeMutableRawPointer(allocate(SIMD16<UInt8>.self, count: blocks))
        block.storeBytes(of: size, as: Int.self)
        return block + 16
    }

    /// The size asked of ``allocateBytes(_:)`` for the memory at `pointer`, which it must have returned.
    @inline(__always)
    static func allocationSize(of pointer: UnsafeRawPointer) -> Int {
        pointer.load(fromByteOffset: -16, as: Int.self)
    }

    /// Returns uninitialised memory for `count` values of `T`, valid until the arena is destroyed.
    mutating func allocate<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        let alignment = max(MemoryLayout<T>.alignment, 8)
        let byteCount = MemoryLayout<T>.stride * max(count, 1)
        let aligned = cursor.alignedUp(toMultipleOf: alignment)
        if aligned + byteCount <= end {
            cursor = aligned + byteCount
            return aligned.bindMemory(to: T.self, capacity: max(count, 1))
        }
        // The header word keeps the payload 16-byte aligned as malloc returns it.
        let header = 16
        let blockSize = max(Self.overflowBlockSize, byteCount + alignment + header)
        guard let block = malloc(blockSize) else { fatalError("out of memory packing a protobuf message") }
        block.storeBytes(of: overflow, as: UnsafeMutableRawPointer?.self)
        overflow = block
        let payload = (block + header).alignedUp(toMultipleOf: alignment)
        cursor = payload + byteCount
        end = block + blockSize
        return payload.bindMemory(to: T.self, capacity: max(count, 1))
    }

    /// Copies `string` as a NUL-terminated C string.
    ///
    /// protobuf-c stores strings NUL-terminated, so text after an embedded NUL (U+0000) is not sent;
    /// the schema documents that strings must not contain U+0000.
    mutating func cString(_ string: String) -> UnsafeMutablePointer<CChar> {
        var string = string
        return string.withUTF8 { utf8 in
            let target = allocate(CChar.self, count: utf8.count + 1)
            UnsafeMutableRawPointer(target).copyMemory(from: utf8.baseAddress!, byteCount: utf8.count)
            target[utf8.count] = 0
            return target
        }
    }

    /// Copies each string as a C string and returns the array of pointers protobuf-c expects.
    mutating func cStrings(_ strings: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        if strings.isEmpty { return nil }
        let pointers = allocate(UnsafeMutablePointer<CChar>?.self, count: strings.count)
        for (index, string) in strings.enumerated() {
            pointers[index] = cString(string)
        }
        return pointers
    }

    /// Copies `values` into C memory with one `memcpy`; returns nil for an empty array.
    mutating func copy<T: BitwiseCopyable>(_ values: [T]) -> UnsafeMutablePointer<T>? {
        if values.isEmpty { return nil }
        let target = allocate(T.self, count: values.count)
        values.withUnsafeBufferPointer { source in
            UnsafeMutableRawPointer(target).copyMemory(
                from: source.baseAddress!, byteCount: source.count * MemoryLayout<T>.stride)
        }
        return target
    }

    /// Builds one C message per element and returns the array of pointers protobuf-c expects.
    mutating func messages<M: ProtobufCMapped>(_ values: [M]) -> UnsafeMutablePointer<
        UnsafeMutablePointer<M.CMessage>?
    >? {
        if values.isEmpty { return nil }
        let structs = allocate(M.CMessage.self, count: values.count)
        let pointers = allocate(UnsafeMutablePointer<M.CMessage>?.self, count: values.count)
        for (index, value) in values.enumerated() {
            let element = structs + index
            M.cInit(element)
            value.fill(&element.pointee, arena: &self)
            pointers[index] = element
        }
        return pointers
    }

    /// Builds one C message for `value` and returns a pointer to it.
    mutating func message<M: ProtobufCMapped>(_ value: M) -> UnsafeMutablePointer<M.CMessage> {
        let element = allocate(M.CMessage.self, count: 1)
        M.cInit(element)
        value.fill(&element.pointee, arena: &self)
        return element
    }
}
