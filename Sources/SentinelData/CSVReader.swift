#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Splits a byte stream into CSV records (RFC 4180): fields separated by commas, records by LF or CRLF, fields
/// optionally quoted with `"`, a quote inside a quoted field written twice. Quoted fields may contain commas and
/// line breaks. Completely empty lines are skipped. A UTF-8 byte-order mark at the start is ignored.
///
/// Memory is bounded: the buffer holds one read's worth of data plus the record in progress, and a record longer
/// than `maximumRecordLength` (usually an unterminated quote) is an error.
final class CSVReader {
    private enum Scan {
        case record(next: Int, lineBreaks: Int)
        case blank(next: Int)
        case incomplete
    }

    /// The default limit on one record's length: 16 MiB.
    static let defaultMaximumRecordLength = 1 << 24

    private let maximumRecordLength: Int

    private let source: any ByteSource
    /// The file as the user named it, for error messages.
    let name: String
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var start = 0
    private var end = 0
    private var atEndOfInput = false
    private var isFirstRead = true
    private var nextLine = 1

    private var fields = FieldRanges()

    /// The number of fields of the current record.
    var fieldCount: Int { fields.count }
    /// The 1-based line on which the current record starts.
    private(set) var line = 0

    init(
        source: any ByteSource, name: String, bufferSize: Int = 1 << 20,
        maximumRecordLength: Int = CSVReader.defaultMaximumRecordLength
    ) {
        self.source = source
        self.name = name
        self.maximumRecordLength = maximumRecordLength
        capacity = bufferSize
        buffer = .allocate(capacity: capacity + 1)
        buffer[0] = UInt8(ascii: "\n")
    }

    deinit {
        buffer.deallocate()
        fields.deallocate()
    }

    /// Field `index` of the current record, unquoted; valid until the next call to `nextRecord`.
    @inline(__always)
    func field(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: buffer + fields.starts[index], count: fields.ends[index] - fields.starts[index])
    }

    /// Field `index` of the current record as a string.
    func string(_ index: Int) -> String {
        String(decoding: field(index), as: UTF8.self)
    }

    private func error(_ code: DataError.Code, _ message: String) -> DataError {
        DataError(code, message, file: name, line: line)
    }

    /// Advances to the next record.
    /// - Returns: `false` at the end of the input.
    /// - Throws: `DataError` for malformed quoting, an over-long record or a read failure.
    func nextRecord() throws -> Bool {
        while true {
            line = nextLine
            switch try scan() {
            case .record(let next, let lineBreaks):
                unescapeFields()
                start = next
                nextLine += 1 + lineBreaks
                return true
            case .blank(let next):
                start = next
                nextLine += 1
            case .incomplete:
                if atEndOfInput { return false }
                try readMore()
            }
        }
    }

    /// Skips the rest of the current physical line, for recovering after a malformed record.
    func skipLine() throws {
        line = nextLine
        while true {
            var position = start
            while position < end, buffer[position] != UInt8(ascii: "\n") { position += 1 }
            if position < end {
                start = position + 1
                nextLine += 1
                return
            }
            start = end
            if atEndOfInput { return }
            try readMore()
        }
    }

    private func readMore() throws {
        let pending = end - start
        if start > 0 {
            memmove(buffer, buffer + start, pending)
            start = 0
            end = pending
        }
        if end == capacity {
            guard capacity < maximumRecordLength else {
                throw error(
                    .recordTooLong, "record longer than \(maximumRecordLength) bytes (unterminated quoted field?)")
            }
            let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2 + 1)
            larger.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = larger
            capacity *= 2
        }
        let count = try source.read(into: UnsafeMutableRawBufferPointer(start: buffer + end, count: capacity - end))
        if count == 0 { atEndOfInput = true }
        end += count
        buffer[end] = UInt8(ascii: "\n")  // sentinel: unquoted scanning needs no bounds check
        // The byte-order mark check waits until three bytes have arrived (a pipe may deliver fewer at first).
        if isFirstRead, end - start >= 3 || atEndOfInput {
            isFirstRead = false
            if end - start >= 3, buffer[start] == 0xEF, buffer[start + 1] == 0xBB, buffer[start + 2] == 0xBF {
                start += 3
            }
        }
    }

    /// Collapses doubled quotes in the quoted fields that have them, in place.
    private func unescapeFields() {
        for index in 0..<fields.count where fields.escaped[index] {
            var read = fields.starts[index]
            var write = read
            while read < fields.ends[index] {
                buffer[write] = buffer[read]
                read += buffer[read] == UInt8(ascii: "\"") ? 2 : 1
                write += 1
            }
            fields.ends[index] = write
        }
    }

    /// Finds the fields of the record starting at `start`, or reports that more input is needed.
    private func scan() throws -> Scan {
        // Locals, not stored properties, in the loop: class properties cost a dynamic exclusivity check per access.
        var fields = self.fields
        fields.count = 0
        defer { self.fields = fields }
        let atEndOfInput = self.atEndOfInput
        let bytes = buffer
        let limit = end
        var position = start
        var lineBreaks = 0
        if position == limit { return .incomplete }
        while true {
            let fieldStart = position
            if bytes[position] == UInt8(ascii: "\"") {
                position += 1
                var hasDoubledQuotes = false
                while true {
                    if position >= limit {
                        if atEndOfInput { throw error(.malformedQuoting, "quoted field is not closed") }
                        return .incomplete
                    }
                    let byte = bytes[position]
                    if byte == UInt8(ascii: "\"") {
                        if position + 1 < limit, bytes[position + 1] == UInt8(ascii: "\"") {
                            hasDoubledQuotes = true
                            position += 2
                            continue
                        }
                        if position + 1 >= limit, !atEndOfInput { return .incomplete }
                        break
                    }
                    if byte == UInt8(ascii: "\n") { lineBreaks += 1 }
                    position += 1
                }
                fields.append(fieldStart + 1, position, escaped: hasDoubledQuotes)
                position += 1  // the closing quote
                var byte = bytes[position]
                if byte == UInt8(ascii: "\r") {
                    if position + 1 < limit, bytes[position + 1] == UInt8(ascii: "\n") {
                        position += 1
                        byte = UInt8(ascii: "\n")
                    } else if position + 1 >= limit {
                        guard atEndOfInput else { return .incomplete }
                        position += 1  // a lone CR ending the input ends the record
                        byte = UInt8(ascii: "\n")
                    }
                }
                if byte == UInt8(ascii: ",") {
                    position += 1
                    continue
                }
                if byte == UInt8(ascii: "\n") {
                    if position < limit { return .record(next: position + 1, lineBreaks: lineBreaks) }
                    return atEndOfInput ? .record(next: limit, lineBreaks: lineBreaks) : .incomplete
                }
                throw error(.malformedQuoting, "unexpected character after a closing quote")
            }
            var byte = bytes[position]
            while byte != UInt8(ascii: ","), byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "\"") {
                position += 1
                byte = bytes[position]
            }
            if byte == UInt8(ascii: ",") {
                fields.append(fieldStart, position, escaped: false)
                position += 1
                continue
            }
            if byte == UInt8(ascii: "\"") {
                throw error(.malformedQuoting, "quote inside an unquoted field")
            }
            if position == limit, !atEndOfInput { return .incomplete }
            var fieldEnd = position
            if fieldEnd > fieldStart, bytes[fieldEnd - 1] == UInt8(ascii: "\r") { fieldEnd -= 1 }
            let next = position == limit ? limit : position + 1
            if fields.count == 0, fieldEnd == fieldStart { return .blank(next: next) }
            fields.append(fieldStart, fieldEnd, escaped: false)
            return .record(next: next, lineBreaks: lineBreaks)
        }
    }
}

/// The byte ranges of one record's fields in the reader's buffer; grows as needed and is freed explicitly.
private struct FieldRanges {
    var starts: UnsafeMutablePointer<Int>
    var ends: UnsafeMutablePointer<Int>
    var escaped: UnsafeMutablePointer<Bool>
    var count = 0
    var capacity = 64

    init() {
        starts = .allocate(capacity: capacity)
        ends = .allocate(capacity: capacity)
        escaped = .allocate(capacity: capacity)
    }

    func deallocate() {
        starts.deallocate()
        ends.deallocate()
        escaped.deallocate()
    }

    @inline(__always)
    mutating func append(_ start: Int, _ end: Int, escaped isEscaped: Bool) {
        if count == capacity { grow() }
        starts[count] = start
        ends[count] = end
        escaped[count] = isEscaped
        count += 1
    }

    private mutating func grow() {
        let larger = capacity * 2
        let newStarts = UnsafeMutablePointer<Int>.allocate(capacity: larger)
        let newEnds = UnsafeMutablePointer<Int>.allocate(capacity: larger)
        let newEscaped = UnsafeMutablePointer<Bool>.allocate(capacity: larger)
        newStarts.update(from: starts, count: count)
        newEnds.update(from: ends, count: count)
        newEscaped.update(from: escaped, count: count)
        deallocate()
        starts = newStarts
        ends = newEnds
        escaped = newEscaped
        capacity = larger
    }
}
