import Glibc

/// The terminal as `status --watch` uses it: the alternate screen (so redraws never reach the scrollback), frames
/// drawn from the top-left corner and clipped to the window, and the window's size.
///
/// ```swift
/// console.writeOutput(TerminalScreen.enter)
/// console.writeOutput(TerminalScreen.frame(lines, columns: TerminalScreen.size().columns))
/// console.writeOutput(TerminalScreen.leave)
/// ```
enum TerminalScreen {
    /// Switches to the alternate screen and hides the cursor.
    static let enter = "\u{1B}[?1049h\u{1B}[?25l"
    /// Shows the cursor and returns to the normal screen, as it was before ``enter``.
    static let leave = "\u{1B}[?25h\u{1B}[?1049l"

    /// The window size of standard output, or 80×24 when it is not known.
    static func size() -> (rows: Int, columns: Int) {
        var window = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &window) == 0, window.ws_row > 0, window.ws_col > 0 else {
            return (24, 80)
        }
        return (Int(window.ws_row), Int(window.ws_col))
    }

    /// One redraw: cursor home, each line clipped to `columns` and cleared to its end, the rest of the screen
    /// cleared. Lines are joined with CR LF and the last has no line break, so the screen never scrolls.
    /// - Parameters:
    ///   - lines: The lines, already fitted to the window's rows.
    ///   - columns: The window's width.
    /// - Returns: The bytes to write.
    static func frame(_ lines: [String], columns: Int) -> String {
        let clipped = lines.map { line in
            (line.count > columns ? String(line.prefix(max(0, columns - 1))) + "…" : line) + "\u{1B}[K"
        }
        return "\u{1B}[H" + clipped.joined(separator: "\r\n") + "\u{1B}[J"
    }
}
