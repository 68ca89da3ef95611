import Foundation
import Glibc
import Testing

@Suite(
    "sentinel status --watch on a pseudo-terminal", .serialized,
    .enabled(if: BuiltProducts.available && RunningService.apiAvailable, "the executables are not built"))
struct StatusWatchTerminalTests {
    @Test("at 80×24: the alternate screen, frames that fit, no scrollback growth; Ctrl-C restores and exits 130")
    func watchFits() async throws {
        let monitor = try await RunningService.startMonitor(arguments: ["--http-port", "0"])
        let api = try await RunningService.startAPI(reportingTo: monitor)
        let replay = try await BuiltProducts.run(
            "sentinel", ["replay", "--api", api.address, "--data", "data/creditcard-sample.csv.gz", "--limit", "300"])
        #expect(replay.status == 0, "\(replay.error)")

        let terminal = try PseudoTerminal(rows: 24, columns: 80)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BuiltProducts.path("sentinel"))
        process.arguments = ["status", "--monitor", monitor.address, "--watch", "--interval", "0.2"]
        process.environment = ["TERM": "xterm", "PATH": "/usr/bin:/bin"]
        let secondary = FileHandle(fileDescriptor: terminal.secondary, closeOnDealloc: false)
        process.standardInput = secondary
        process.standardOutput = secondary
        process.standardError = secondary
        try process.run()
        // Wait for three frames with the drift table, then press Ctrl-C.
        let before = try await offPool { terminal.read(until: { $0.components(separatedBy: "\u{1B}[H").count > 3 }) }
            .get()
        #expect(before.contains("\u{1B}[?1049h"), "the alternate screen was not entered: \(before.debugDescription)")
        process.interrupt()
        let after = try await offPool { terminal.read(until: { $0.contains("\u{1B}[?1049l") }) }.get()
        let status = try await offPool { () -> Int32 in
            process.waitUntilExit()
            return process.terminationStatus
        }.get()
        #expect(status == 130)
        let output = before + after
        #expect(
            output.hasSuffix("\u{1B}[?25h\u{1B}[?1049l"), "the terminal was not restored: \(after.debugDescription)")

        // Every frame: at most 24 rows of at most 80 columns, no line feed after the last row (nothing scrolls).
        let frames = output.components(separatedBy: "\u{1B}[H").dropFirst().map {
            $0.components(separatedBy: "\u{1B}[J")[0]
        }
        #expect(frames.count >= 3)
        for frame in frames {
            let rows = frame.components(separatedBy: "\r\n")
            #expect(rows.count <= 24, "\(rows.count) rows")
            for row in rows {
                let visible = row.replacingOccurrences(of: "\u{1B}[K", with: "").replacingOccurrences(
                    of: "\r", with: "")
                #expect(visible.count <= 80, "\(visible)")
                #expect(!visible.contains("\n"))
            }
        }
        let last = try #require(frames.last)
        #expect(last.contains("DRIFT vs reference"), "\(last)")
        #expect(last.contains(" more with less drift"), "\(last)")
        // Between the frames only the screen switch and the final restore: nothing is appended to the scrollback.
        let outside = output.components(separatedBy: "\u{1B}[H").first ?? ""
        #expect(outside == "\u{1B}[?1049h\u{1B}[?25l", "\(outside.debugDescription)")
        _ = await api.terminate()
        _ = await monitor.terminate()
    }
}

/// A pseudo-terminal pair (/dev/ptmx) with a window size, for running a command as if on a terminal.
///
/// `@unchecked Sendable` invariant: the descriptors are set in `init` and never change; reads happen from one
/// thread at a time.
final class PseudoTerminal: @unchecked Sendable {
    let primary: Int32
    let secondary: Int32

    init(rows: UInt16, columns: UInt16) throws {
        // grantpt/unlockpt/ptsname are not visible through the Glibc module; their Linux ioctls are:
        // TIOCSPTLCK = _IOW('T', 0x31, int), TIOCGPTN = _IOR('T', 0x30, unsigned int).
        let primary = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        self.primary = primary
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard primary >= 0, ioctl(primary, 0x4004_5431, &unlock) == 0, ioctl(primary, 0x8004_5430, &number) == 0
        else { throw POSIXError(.ENOTTY) }
        secondary = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY)
        guard secondary >= 0 else { throw POSIXError(.ENOTTY) }
        var window = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(primary, UInt(TIOCSWINSZ), &window)
    }

    deinit {
        close(secondary)
        close(primary)
    }

    /// Reads what the command wrote until `done` holds for it, or 20 s pass.
    func read(until done: (String) -> Bool) -> String {
        var bytes: [UInt8] = []
        let deadline = Date().addingTimeInterval(20)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while Date() < deadline {
            var descriptor = pollfd(fd: primary, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 200) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { Glibc.read(primary, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            bytes += buffer[0..<count]
            if done(String(decoding: bytes, as: UTF8.self)) { break }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
