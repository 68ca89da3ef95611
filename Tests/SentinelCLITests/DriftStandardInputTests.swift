import Foundation
import Testing

/// The built `sentinel` executable next to the test bundle (`swift build --build-tests` builds every product).
private enum BuiltSentinel {
    static let path: String? = {
        let executable =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var url = URL(fileURLWithPath: executable).deletingLastPathComponent()
        while url.pathComponents.count > 1 {
            let candidate = url.appendingPathComponent("sentinel").path
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
                FileManager.default.isExecutableFile(atPath: candidate)
            {
                return candidate
            }
            url.deleteLastPathComponent()
        }
        return nil
    }()

    /// Runs `sentinel` with `input` on standard input.
    static func run(_ arguments: [String], input: Data) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(path))
        process.arguments = arguments
        let standardInput = Pipe()
        let output = Pipe()
        let error = Pipe()
        process.standardInput = standardInput
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // The inputs are small (well under a pipe buffer), so writing before reading cannot deadlock.
        try standardInput.fileHandleForWriting.write(contentsOf: input)
        try standardInput.fileHandleForWriting.close()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: outputData, as: UTF8.self),
            String(decoding: errorData, as: UTF8.self)
        )
    }
}

@Suite(
    "sentinel drift reading standard input",
    .enabled(if: BuiltSentinel.path != nil, "needs the built sentinel executable next to the tests")
)
struct DriftStandardInputTests {
    @Test("--current - reads the current file from stdin: same report as from the file, header read once")
    func currentFromStandardInput() throws {
        let files = try DriftFiles()
        let reference = try files.write("reference.csv", DriftCommandTests.referenceText)
        let current = try files.write("current.csv", DriftCommandTests.currentText)
        let fromFile = try BuiltSentinel.run(
            ["drift", "--reference", reference, "--current", current, "--bins", "2", "--json"], input: Data())
        let fromPipe = try BuiltSentinel.run(
            ["drift", "--reference", reference, "--current", "-", "--bins", "2", "--json"],
            input: Data(DriftCommandTests.currentText.utf8))
        #expect(fromFile.status == 0, "\(fromFile.error)")
        #expect(fromPipe.status == 0, "\(fromPipe.error)")
        #expect(fromPipe.output == fromFile.output)
        #expect(fromPipe.output.contains("\"psi\" : 0.27465307216"))
        // Without --columns the header is read first, then the columns: both from the one copy of stdin.
        #expect(fromPipe.error.isEmpty)
    }

    @Test("an empty standard input is an error naming <stdin>")
    func emptyStandardInput() throws {
        let files = try DriftFiles()
        let reference = try files.write("reference.csv", DriftCommandTests.referenceText)
        let result = try BuiltSentinel.run(["drift", "--reference", "-", "--current", reference], input: Data())
        #expect(result.status == 1)
        #expect(result.error.contains("<stdin>: the file is empty (no header line)"))
    }
}
