/// Shows how far a long task has got: a bar redrawn in place on a terminal, plain lines otherwise.
///
/// On a terminal the bar is redrawn (carriage return, no newline) only when its percentage changes; elsewhere one
/// line is written when a stage starts and one when it ends, so logs stay short.
///
/// ```swift
/// var bar = ProgressBar(console: console)
/// bar.update(stage: "fitting", completed: 10, total: 100)
/// bar.finish()
/// ```
struct ProgressBar {
    private let console: Console
    private let width: Int
    private var stage: String?
    private var percent = -1
    private var lineOpen = false

    /// Creates a progress display writing to the console's error stream.
    /// - Parameters:
    ///   - console: Where to write; `errorIsTerminal` selects the bar or plain lines.
    ///   - width: Characters in the bar itself.
    init(console: Console, width: Int = 30) {
        self.console = console
        self.width = width
    }

    /// Reports progress in a stage.
    /// - Parameters:
    ///   - stage: The stage's name; a new name ends the previous stage.
    ///   - completed: Work done in this stage.
    ///   - total: Work in this stage (at least 1).
    mutating func update(stage name: String, completed: Int, total: Int) {
        let total = max(total, 1)
        let done = min(max(completed, 0), total)
        if name != stage {
            endStage()
            stage = name
            percent = -1
            if !console.errorIsTerminal {
                console.printError("\(name)…")
            }
        }
        guard console.errorIsTerminal else { return }
        let newPercent = done * 100 / total
        guard newPercent != percent else { return }
        percent = newPercent
        let filled = done * width / total
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
        console.writeError("\r[\(bar)] \(pad(newPercent))% \(name) (\(done)/\(total))\u{1B}[K")
        lineOpen = true
    }

    /// Ends the display (closes the bar's line on a terminal).
    mutating func finish() {
        endStage()
        stage = nil
    }

    private mutating func endStage() {
        if lineOpen {
            console.writeError("\n")
            lineOpen = false
        } else if let stage, !console.errorIsTerminal {
            console.printError("\(stage): done")
        }
    }

    private func pad(_ value: Int) -> String {
        let text = String(value)
        return String(repeating: " ", count: max(0, 3 - text.count)) + text
    }
}
