import Foundation
import Testing

/// The progress bars as the real executable decides: drawn when standard error is a terminal, absent when it is
/// a pipe, with the results on standard output either way.
@Suite(
    "progress bars of the sentinel executable on a pseudo-terminal", .serialized,
    .enabled(if: BuiltProducts.available, "the sentinel executable is not built"))
struct ProgressTerminalTests {
    static let arguments = [
        "drift", "--reference", "data/creditcard-demo-train.csv.gz", "--current",
        "data/creditcard-demo-holdout.csv.gz", "--columns", "Amount,V1,V2",
    ]

    @Test("sentinel drift: bars and final lines on a terminal's stderr; none through a pipe; the same report")
    func driftBars() async throws {
        let terminal = try PseudoTerminal(rows: 24, columns: 120)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BuiltProducts.path("sentinel"))
        process.arguments = Self.arguments
        process.environment = ["TERM": "xterm", "PATH": "/usr/bin:/bin"]
        let output = Pipe()
        let secondary = FileHandle(fileDescriptor: terminal.secondary, closeOnDealloc: false)
        process.standardInput = secondary
        process.standardOutput = output
        process.standardError = secondary
        try process.run()
        let report = try await offPool { output.fileHandleForReading.readDataToEndOfFile() }.get()
        let status = try await offPool { () -> Int32 in
            process.waitUntilExit()
            return process.terminationStatus
        }.get()
        #expect(status == 0)
        let screen = try await offPool { terminal.read(until: { $0.contains("compared ") && $0.hasSuffix("\r\n") }) }
            .get()
        #expect(screen.contains("\rreading  ["), "\(screen.debugDescription)")
        #expect(screen.contains("\rcomparing  ["), "\(screen.debugDescription)")
        // What stays on the screen: one line per phase (the terminal turns \n into \r\n, one Character in Swift).
        let lines = screen.components(separatedBy: "\r\n").filter { !$0.isEmpty }.map {
            ($0.components(separatedBy: "\r").last ?? "").replacingOccurrences(of: "\u{1B}[K", with: "")
        }
        #expect(lines.count == 2, "\(lines)")
        #expect(lines.first?.hasPrefix("read 1307 reference and 1305 current rows in ") == true, "\(lines)")
        #expect(lines.last?.hasPrefix("compared 3 columns in ") == true, "\(lines)")

        let piped = try await BuiltProducts.run("sentinel", Self.arguments)
        #expect(piped.status == 0)
        #expect(piped.error.isEmpty, "\(piped.error.debugDescription)")
        #expect(piped.output == String(decoding: report, as: UTF8.self))
    }
}
