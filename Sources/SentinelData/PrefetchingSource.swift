import Foundation

/// Reads another source on a background thread, a few chunks ahead of the consumer, so that decompression (on the
/// producer thread) and CSV parsing (on the caller's thread) use two cores.
///
/// Memory is bounded by `chunkCount` × `chunkSize`. Dropping the consumer early (for example after a row limit)
/// stops the producer after its current chunk. Errors from the wrapped source are rethrown to the consumer in
/// order, after the chunks read before them.
final class PrefetchingSource: ByteSource {
    /// The state both threads share.
    ///
    /// `@unchecked Sendable`: every stored property is read and written only while `condition` is locked, except
    /// chunk memory, which belongs to exactly one side at a time — the producer while the chunk is in `free` or
    /// being filled, the consumer after it was taken from `filled` until it is handed back to `free`.
    private final class Channel: @unchecked Sendable {
        let condition = NSCondition()
        var free: [UnsafeMutableRawBufferPointer] = []
        var filled: [(buffer: UnsafeMutableRawBufferPointer, count: Int)] = []
        var finished = false
        var failure: (any Error)?
        var cancelled = false
        var all: [UnsafeMutableRawBufferPointer] = []

        deinit {
            for buffer in all { buffer.deallocate() }
        }
    }

    /// Hands the wrapped source to the producer thread, which is its only user from then on.
    private struct SourceBox: @unchecked Sendable {
        let source: any ByteSource
    }

    private let channel = Channel()
    private var current: UnsafeMutableRawBufferPointer?
    private var currentCount = 0
    private var currentOffset = 0

    /// Starts the producer thread.
    /// - Parameters:
    ///   - source: The source to read ahead; from now on only the producer thread uses it.
    ///   - chunkSize: Bytes per chunk.
    ///   - chunkCount: Chunks in flight.
    init(source: any ByteSource, chunkSize: Int = 1 << 20, chunkCount: Int = 4) {
        for _ in 0..<chunkCount {
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
            channel.free.append(buffer)
            channel.all.append(buffer)
        }
        let channel = channel
        let box = SourceBox(source: source)
        let thread = Thread { PrefetchingSource.produce(box.source, channel) }
        thread.name = "sentinel-data-prefetch"
        thread.start()
    }

    deinit {
        channel.condition.lock()
        channel.cancelled = true
        channel.condition.broadcast()
        channel.condition.unlock()
    }

    private static func produce(_ source: any ByteSource, _ channel: Channel) {
        while true {
            channel.condition.lock()
            while channel.free.isEmpty, !channel.cancelled { channel.condition.wait() }
            if channel.cancelled {
                channel.condition.unlock()
                return
            }
            let buffer = channel.free.removeLast()
            channel.condition.unlock()

            var count = 0
            var failure: (any Error)?
            var ended = false
            do {
                while count < buffer.count {
                    let read = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[count...]))
                    if read == 0 {
                        ended = true
                        break
                    }
                    count += read
                }
            } catch {
                failure = error
            }

            channel.condition.lock()
            if count > 0 { channel.filled.append((buffer, count)) } else { channel.free.append(buffer) }
            if let failure { channel.failure = failure }
            if ended || failure != nil { channel.finished = true }
            channel.condition.broadcast()
            channel.condition.unlock()
            if ended || failure != nil { return }
        }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard buffer.count > 0 else { return 0 }
        if current == nil || currentOffset == currentCount {
            channel.condition.lock()
            defer { channel.condition.unlock() }
            if let current {
                channel.free.append(current)
                channel.condition.broadcast()
                self.current = nil
            }
            while channel.filled.isEmpty, !channel.finished { channel.condition.wait() }
            guard !channel.filled.isEmpty else {
                if let failure = channel.failure { throw failure }
                return 0
            }
            let next = channel.filled.removeFirst()
            current = next.buffer
            currentCount = next.count
            currentOffset = 0
        }
        let count = min(buffer.count, currentCount - currentOffset)
        buffer.baseAddress!.copyMemory(from: current!.baseAddress! + currentOffset, byteCount: count)
        currentOffset += count
        return count
    }
}
