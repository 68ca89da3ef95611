import Foundation
import Glibc

/// The reporter's persistent identity in its spool directory: the producer id and the highest sequence number
/// that may have been used (file `reporter-state`, three lines of text, replaced atomically).
///
/// ```
/// sentinel-reporter-state 1
/// producer_id api-7f3c1a92
/// sequence 1048576
/// ```
///
/// While running, `sequence` is a lease: the reporter writes a value ahead of what it has assigned, so that a
/// hard crash restarts above every number used (leaving a gap of at most the lease, which the monitor records as
/// a gap; those events were in memory and are lost anyway). A clean shutdown writes the exact last sequence.
struct ReporterState: Equatable {
    static let fileName = "reporter-state"
    private static let header = "sentinel-reporter-state 1"

    var producerId: String
    var sequence: UInt64

    /// Reads the state file in `directory`, or `nil` when there is none.
    /// - Throws: ``ReportingError`` (`stateCorrupt`) when the file exists but does not parse.
    static func read(in directory: String) throws(ReportingError) -> ReporterState? {
        let path = directory + "/" + fileName
        guard access(path, F_OK) == 0 else { return nil }
        let bytes: [UInt8]
        do {
            bytes = try readWholeFile(path)
        } catch {
            throw ReportingError(.spoolUnavailable, "cannot read \(path): \(error)")
        }
        let corrupt = ReportingError(
            .stateCorrupt,
            "\(path) is not a valid reporter state file; restore it, or move the spool directory aside and start with "
                + "a new producer id (reusing the old id with a fresh state would reuse sequence numbers)")
        guard let text = String(validating: bytes, as: UTF8.self) else { throw corrupt }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        guard lines.count == 3, lines[0] == header, lines[1].hasPrefix("producer_id "), lines[2].hasPrefix("sequence "),
            let sequence = UInt64(lines[2].dropFirst("sequence ".count))
        else { throw corrupt }
        let producer = String(lines[1].dropFirst("producer_id ".count))
        guard !producer.isEmpty else { throw corrupt }
        return ReporterState(producerId: producer, sequence: sequence)
    }

    /// Writes the state atomically and durably (temporary file, `fsync`, `rename`, `fsync` of the directory).
    /// - Throws: ``ReportingError`` (`spoolUnavailable`) when any step fails.
    func write(in directory: String) throws(ReportingError) {
        let text = "\(Self.header)\nproducer_id \(producerId)\nsequence \(sequence)\n"
        try replaceFile(directory + "/" + Self.fileName, in: directory, with: Array(text.utf8))
    }

    /// A new producer id: `<hostname>-<first 8 hex digits of a random UUID>`.
    static func makeProducerId() -> String {
        var name = [CChar](repeating: 0, count: 256)
        let host =
            gethostname(&name, name.count - 1) == 0
            ? String(decoding: name.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self) : "host"
        let suffix = UUID().uuidString.lowercased().prefix(8)
        return (host.isEmpty ? "host" : host) + "-" + suffix
    }
}
