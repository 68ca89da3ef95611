import Foundation
import Glibc
import SentinelLog

/// The bounded on-disk spool: append-only segment files of framed, checksummed `EventBatch` records
/// (``SpoolRecord``), read back oldest first and deleted segment by segment as the monitor acknowledges them.
///
/// Not thread-safe: the reporter keeps it inside a `Lock` shared by its drain and send tasks.
///
/// Durability: ``append(_:)`` writes; ``sync()`` makes every append since the last sync durable (`fdatasync` of
/// the segment, plus `fsync` of the directory after a new segment was created). The reporter syncs once per
/// drain cycle, so a group of batches costs one sync.
///
/// At startup every segment is scanned; the first torn or corrupt record of a segment ends it (counted, logged,
/// and the file truncated there). New records always go to a new segment, so old files are never appended to.
final class EventSpool {
    /// Where one record lives and what it holds.
    private struct Entry {
        var segment: UInt64
        var offset: Int
        var size: Int
        var firstSequence: UInt64
        var lastSequence: UInt64
        var eventCount: Int
        var acknowledged = false
        /// Handed out (by ``EventSpool/takeUnsent(maximumBytes:)``, or appended while its request was in flight)
        /// and not yet acknowledged; cleared by ``EventSpool/rewind()``.
        var inFlight = false
    }

    let directory: String
    let capacityBytes: Int
    let segmentBytes: Int
    private let log: JSONLog

    private var entries: [Entry] = []
    /// The oldest record not yet acknowledged (every record before it is).
    private var head = 0
    /// Where the search for the next record to hand out starts: records from `head` up to here are in flight or
    /// acknowledged.
    private var cursor = 0
    /// Segment index → (file size, records not yet consumed), for every segment file on disk.
    private var segments: [UInt64: (size: Int, live: Int)] = [:]
    private var writeIndex: UInt64?
    private var writeFD: Int32 = -1
    private var readFD: (segment: UInt64, fd: Int32)?
    private var nextIndex: UInt64 = 1
    private var unsynced = false
    private var directoryUnsynced = false

    /// Bytes of all segment files.
    private(set) var totalBytes = 0
    /// Events in records not yet acknowledged.
    private(set) var eventCount = 0
    /// The highest sequence number found at startup or appended since.
    private(set) var highestSequence: UInt64 = 0
    /// Records found torn or corrupt (at startup or on replay) and skipped.
    private(set) var corruptRecords = 0

    /// Opens the spool in `directory` (which must exist) and scans its segments.
    /// - Throws: ``ReportingError`` (`spoolUnavailable`) when the directory cannot be listed or a segment read.
    init(directory: String, capacityBytes: Int, segmentBytes: Int, log: JSONLog) throws(ReportingError) {
        self.directory = directory
        self.capacityBytes = capacityBytes
        self.segmentBytes = segmentBytes
        self.log = log
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw ReportingError(.spoolUnavailable, "cannot list spool directory \(directory): \(error)")
        }
        let indices = names.compactMap(Self.segmentIndex(of:)).sorted()
        for index in indices { try scan(segment: index) }
        nextIndex = (indices.last ?? 0) + 1
    }

    deinit { close() }

    /// Whether every record has been acknowledged.
    var isEmpty: Bool { head == entries.count }

    /// Appends one record to the current segment (starting a new one when it would exceed the segment size).
    /// - Returns: `false`, writing nothing, when the record does not fit under the capacity.
    /// - Throws: ``ReportingError`` when the write fails (the segment is cut back to its last whole record).
    func append(_ record: SpoolRecord, inFlight: Bool = false) throws(ReportingError) -> Bool {
        let size = record.encodedSize
        let needsNewSegment = writeIndex == nil || (currentWriteSize + size > segmentBytes)
        let added = size + (needsNewSegment ? SpoolRecord.segmentMagic.count : 0)
        guard totalBytes + added <= capacityBytes else { return false }
        if needsNewSegment { try startSegment() }
        guard let index = writeIndex else { return false }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(size)
        record.encode(into: &bytes)
        let offset = currentWriteSize
        do {
            try writeAll(writeFD, bytes)
        } catch {
            _ = ftruncate(writeFD, off_t(offset))
            throw ReportingError(.spoolUnavailable, "cannot write spool segment \(path(of: index)): \(error)")
        }
        entries.append(
            Entry(
                segment: index, offset: offset, size: size, firstSequence: record.firstSequence,
                lastSequence: record.lastSequence, eventCount: record.eventCount, inFlight: inFlight))
        segments[index, default: (0, 0)].size += size
        segments[index, default: (0, 0)].live += 1
        totalBytes += size
        eventCount += record.eventCount
        highestSequence = max(highestSequence, record.lastSequence)
        unsynced = true
        return true
    }

    /// Makes every append since the last call durable.
    /// - Throws: ``ReportingError`` when `fdatasync` or the directory's `fsync` fails.
    func sync() throws(ReportingError) {
        if unsynced, writeFD >= 0 {
            guard fdatasync(writeFD) == 0 else {
                throw ReportingError(
                    .spoolUnavailable, "fdatasync of the spool failed: \(String(cString: strerror(errno)))")
            }
        }
        unsynced = false
        if directoryUnsynced {
            try syncDirectory(directory)
            directoryUnsynced = false
        }
    }

    /// The first sequence number of the oldest record not yet acknowledged.
    var oldestUnacknowledged: UInt64? {
        var index = head
        while index < entries.count, entries[index].acknowledged { index += 1 }
        return index < entries.count ? entries[index].firstSequence : nil
    }

    /// The first sequence number of the next record ``takeUnsent(maximumBytes:)`` would hand out.
    var nextUnsentSequence: UInt64? {
        var index = cursor
        while index < entries.count, entries[index].acknowledged || entries[index].inFlight { index += 1 }
        return index < entries.count ? entries[index].firstSequence : nil
    }

    /// Hands out the oldest records not yet handed out (nor acknowledged), in order, as many as fit in
    /// `maximumBytes` of payload (at least one when any remains), and moves the send cursor past them. A record
    /// that no longer checks is skipped (counted, logged, and treated as acknowledged so the spool can move on).
    /// - Throws: ``ReportingError`` when a segment cannot be read.
    func takeUnsent(maximumBytes: Int) throws(ReportingError) -> [SpoolRecord] {
        var records: [SpoolRecord] = []
        var total = 0
        var index = cursor
        // The cursor moves only when every read succeeded: a failed read hands out nothing, to be retried. Records
        // already in flight (spilled from memory while their request was outstanding) are skipped.
        while index < entries.count {
            let entry = entries[index]
            if entry.acknowledged || entry.inFlight {
                index += 1
                continue
            }
            if !records.isEmpty && total + entry.size > maximumBytes { break }
            guard let record = try read(entry) else {
                corruptRecords += 1
                log.log(
                    .error, "spool record corrupt",
                    [
                        ("segment", .string(path(of: entry.segment))), ("offset", .int(Int64(entry.offset))),
                        ("events", .int(Int64(entry.eventCount))),
                        ("reason", .string("changed on disk since it was written")),
                    ])
                markAcknowledged(at: index)
                index += 1
                if !records.isEmpty { break }
                continue
            }
            records.append(record)
            total += record.payload.count
            index += 1
        }
        for taken in cursor..<index where !entries[taken].acknowledged { entries[taken].inFlight = true }
        cursor = index
        consumeAcknowledgedPrefix()
        return records
    }

    /// Makes every record not yet acknowledged eligible to be handed out again (after a failed delivery).
    func rewind() {
        for index in head..<entries.count { entries[index].inFlight = false }
        cursor = head
    }

    /// Marks the records that start at `firstSequences` acknowledged and deletes what is acknowledged from the
    /// oldest end (segment files with no unacknowledged record left are unlinked).
    /// - Returns: The events newly acknowledged.
    @discardableResult
    func acknowledge(firstSequences: [UInt64]) -> Int {
        var acknowledged = 0
        for sequence in firstSequences {
            var index = head
            while index < entries.count, entries[index].firstSequence != sequence || entries[index].acknowledged {
                index += 1
            }
            guard index < entries.count else { continue }
            acknowledged += entries[index].eventCount
            markAcknowledged(at: index)
        }
        consumeAcknowledgedPrefix()
        return acknowledged
    }

    /// Reads and checks one record; `nil` when it no longer checks.
    private func read(_ entry: Entry) throws(ReportingError) -> SpoolRecord? {
        let fd = try readDescriptor(for: entry.segment)
        var bytes = [UInt8](repeating: 0, count: entry.size)
        let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, entry.size, off_t(entry.offset)) }
        if count < 0 {
            throw ReportingError(
                .spoolUnavailable,
                "cannot read spool segment \(path(of: entry.segment)): \(String(cString: strerror(errno)))")
        }
        guard count == entry.size, case .record(let record, _) = bytes.withUnsafeBytes({ SpoolRecord.parse($0) })
        else { return nil }
        return record
    }

    /// Closes the open files.
    func close() {
        if writeFD >= 0 { Glibc.close(writeFD) }
        writeFD = -1
        if let readFD { Glibc.close(readFD.fd) }
        readFD = nil
    }

    // MARK: Internals

    private var currentWriteSize: Int {
        guard let writeIndex else { return 0 }
        return segments[writeIndex]?.size ?? 0
    }

    private func markAcknowledged(at index: Int) {
        entries[index].acknowledged = true
        eventCount -= entries[index].eventCount
        segments[entries[index].segment]?.live -= 1
    }

    private func consumeAcknowledgedPrefix() {
        let before = head
        while head < entries.count, entries[head].acknowledged { head += 1 }
        cursor = max(cursor, head)
        guard head != before else { return }
        deleteConsumedSegments()
        if head > 1_024 && head * 2 > entries.count {
            entries.removeFirst(head)
            cursor -= head
            head = 0
        }
    }

    private func deleteConsumedSegments() {
        for (index, segment) in segments where segment.live == 0 && (index != writeIndex || isEmpty) {
            if index == writeIndex {
                Glibc.close(writeFD)
                writeFD = -1
                writeIndex = nil
                unsynced = false
            }
            if let readFD, readFD.segment == index {
                Glibc.close(readFD.fd)
                self.readFD = nil
            }
            unlink(path(of: index))
            totalBytes -= segment.size
            segments[index] = nil
        }
    }

    private func startSegment() throws(ReportingError) {
        if writeFD >= 0 {
            try sync()
            Glibc.close(writeFD)
            writeFD = -1
        }
        let index = nextIndex
        nextIndex += 1
        let file = path(of: index)
        let fd = open(file, O_RDWR | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw ReportingError(
                .spoolUnavailable, "cannot create spool segment \(file): \(String(cString: strerror(errno)))")
        }
        do {
            try writeAll(fd, SpoolRecord.segmentMagic)
        } catch {
            Glibc.close(fd)
            unlink(file)
            throw ReportingError(.spoolUnavailable, "cannot write spool segment \(file): \(error)")
        }
        writeFD = fd
        writeIndex = index
        segments[index] = (SpoolRecord.segmentMagic.count, 0)
        totalBytes += SpoolRecord.segmentMagic.count
        directoryUnsynced = true
    }

    private func readDescriptor(for segment: UInt64) throws(ReportingError) -> Int32 {
        if segment == writeIndex { return writeFD }
        if let readFD, readFD.segment == segment { return readFD.fd }
        if let readFD { Glibc.close(readFD.fd) }
        readFD = nil
        let fd = open(path(of: segment), O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ReportingError(
                .spoolUnavailable, "cannot open spool segment \(path(of: segment)): \(String(cString: strerror(errno)))"
            )
        }
        readFD = (segment, fd)
        return fd
    }

    private func scan(segment index: UInt64) throws(ReportingError) {
        let file = path(of: index)
        let bytes: [UInt8]
        do {
            bytes = try readWholeFile(file)
        } catch {
            throw ReportingError(.spoolUnavailable, "cannot read spool segment \(file): \(error)")
        }
        let magic = SpoolRecord.segmentMagic
        guard bytes.count >= magic.count, Array(bytes[0..<magic.count]) == magic else {
            corruptRecords += 1
            log.log(
                .error, "spool segment corrupt",
                [
                    ("segment", .string(file)), ("bytes", .int(Int64(bytes.count))),
                    ("reason", .string("no spool header; renamed to .corrupt and ignored")),
                ])
            rename(file, file + ".corrupt")
            return
        }
        var offset = magic.count
        var records = 0
        while offset < bytes.count {
            let parsed = bytes.withUnsafeBytes { SpoolRecord.parse(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
            guard case .record(let record, let size) = parsed else {
                let reason: String
                if case .corrupt(let why) = parsed {
                    reason = why
                } else {
                    reason = "torn record (file ends inside it)"
                }
                corruptRecords += 1
                log.log(
                    .warning, "spool record skipped",
                    [
                        ("segment", .string(file)), ("offset", .int(Int64(offset))),
                        ("skipped_bytes", .int(Int64(bytes.count - offset))), ("reason", .string(reason)),
                    ])
                if truncate(file, off_t(offset)) != 0 {
                    throw ReportingError(
                        .spoolUnavailable, "cannot truncate spool segment \(file): \(String(cString: strerror(errno)))")
                }
                break
            }
            entries.append(
                Entry(
                    segment: index, offset: offset, size: size, firstSequence: record.firstSequence,
                    lastSequence: record.lastSequence, eventCount: record.eventCount))
            eventCount += record.eventCount
            highestSequence = max(highestSequence, record.lastSequence)
            offset += size
            records += 1
        }
        if records == 0 {
            unlink(file)
            return
        }
        segments[index] = (offset, records)
        totalBytes += offset
    }

    private func path(of index: UInt64) -> String {
        directory + "/" + Self.segmentName(index)
    }

    /// The file name of segment `index`: `segment-` + 20 digits + `.spool`, so names sort like indices.
    static func segmentName(_ index: UInt64) -> String {
        let digits = String(index)
        return "segment-" + String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".spool"
    }

    /// The index in a segment file's name, or `nil` for other files.
    static func segmentIndex(of name: String) -> UInt64? {
        guard name.hasPrefix("segment-"), name.hasSuffix(".spool") else { return nil }
        return UInt64(name.dropFirst("segment-".count).dropLast(".spool".count))
    }
}
