/// Runs `body` with uninitialised scratch memory for `capacity` values of `T`: on the stack up to 64 KiB (an
/// ordinary batch), on the heap above, so a 10,000-transaction batch never takes megabytes of an event loop's stack.
/// - Parameters:
///   - type: The element type.
///   - capacity: The number of elements.
///   - body: Uses the memory; it must not escape, and trivial types only (nothing is deinitialised).
/// - Returns: What `body` returns.
@inline(__always)
func withScratch<T, R>(
    of type: T.Type, capacity: Int, _ body: (UnsafeMutableBufferPointer<T>) throws -> R
) rethrows -> R {
    let capacity = max(capacity, 1)
    if capacity * MemoryLayout<T>.stride <= 64 << 10 {
        return try withUnsafeTemporaryAllocation(of: T.self, capacity: capacity, body)
    }
    let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: capacity)
    defer { buffer.deallocate() }
    return try body(buffer)
}
