import Foundation

/// Reads the golden `.hex` fixtures shared with PROTOCOL.md: hex byte pairs, `#` starts a comment.
enum Fixture {
    /// The directory holding the fixtures, derived from this file's path.
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures")

    /// The bytes of a fixture.
    static func bytes(_ name: String) throws -> [UInt8] {
        let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        var bytes: [UInt8] = []
        for line in text.split(separator: "\n") {
            let code = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            for token in code.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
                guard let byte = UInt8(token, radix: 16), token.count == 2 else {
                    throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "bad token \(token)"])
                }
                bytes.append(byte)
            }
        }
        return bytes
    }
}
