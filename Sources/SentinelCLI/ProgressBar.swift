/// Shows how far a long task has got: one bar per phase on standard error, redrawn in place, with the phase's
/// name, the work done, the elapsed time, the rate and an estimate of the time left; when a phase ends its bar is
/// replaced by one final line saying what happened.
///
/// The display exists only for people watching a terminal: when standard error is not a terminal, or the verb was
/// asked for `--quiet` or `--json`, nothing is written (the verb's own summary says what happened).
///
/// ```swift
/// var bar = ProgressBar(console: console, enabled: !quiet)
/// bar.update(stage: "fitting", completed: 10, total: 100)
/// bar.finish("fitting: 100 rounds")
/// ```
struct ProgressBar {
    private let console: Console
    private let width: Int
    private let enabled: Bool
    private let clock: @Sendable () -> Duration
    private var stage: String?
    private var stageStart: Duration = .zero
    private var completed = 0
    private var total = 1
    private var percent = -1

    /// Creates a progress display writing to the console's error stream.
    /// - Parameters:
    ///   - console: Where to write; nothing is written unless `errorIsTerminal`.
    ///   - enabled: `false` for `--quiet` and `--json`.
    ///   - width: Characters in the bar itself.
    ///   - clock: Time since an arbitrary start (tests pass a fixed clock).
    init(
        console: Console, enabled: Bool = true, width: Int = 24,
        clock: @escaping @Sendable () -> Duration = ProgressBar.monotonic
    ) {
        self.console = console
        self.enabled = enabled && console.errorIsTerminal
        self.width = width
        self.clock = clock
    }

    /// The process's monotonic clock.
    @Sendable static func monotonic() -> Duration {
        ContinuousClock.now - origin
    }

    private static let origin = ContinuousClock.now

    /// Reports progress in a phase; a new phase name ends the previous phase (with the default final line).
    /// - Parameters:
    ///   - name: The phase's name.
    ///   - completed: Work done in this phase.
    ///   - total: Work in this phase (at least 1).
    mutating func update(stage name: String, completed: Int, total: Int) {
        guard enabled else { return }
        if name != stage {
            if stage != nil { finish() }
            stage = name
            stageStart = clock()
            percent = -1
        }
        self.total = max(total, 1)
        self.completed = min(max(completed, 0), self.total)
        let newPercent = self.completed * 100 / self.total
        guard newPercent != percent else { return }
        percent = newPercent
        console.writeError("\r" + line(name) + "\u{1B}[K")
    }

    /// Ends the current phase: its bar is replaced by `summary`, or by the work done, the time and the rate.
    /// - Parameter summary: What happened in the phase, in one line.
    mutating func finish(_ summary: String? = nil) {
        guard enabled, let name = stage else { return }
        let elapsed = clock() - stageStart
        let text = summary ?? "\(name): \(completed) of \(total) in \(Formatting.seconds(elapsed))\(rate(elapsed))"
        console.writeError("\r" + text + "\u{1B}[K\n")
        stage = nil
    }

    /// The bar line: `fitting  [#####     ]  45%  450/1000  2.1 s  214/s  ETA 2.6 s`.
    private func line(_ name: String) -> String {
        let filled = completed * width / total
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
        let elapsed = clock() - stageStart
        var text = "\(name)  [\(bar)] \(pad(percent))%  \(completed)/\(total)  \(Formatting.seconds(elapsed))"
        text += rate(elapsed)
        if completed > 0, total - completed > 0, elapsed > .zero {
            text += "  ETA \(Formatting.seconds(elapsed * (Double(total - completed) / Double(completed))))"
        }
        return text
    }

    private func rate(_ elapsed: Duration) -> String {
        let (whole, fraction) = elapsed.components
        let seconds = Double(whole) + Double(fraction) * 1e-18
        guard seconds > 0, completed > 0 else { return "" }
        let perSecond = Double(completed) / seconds
        return "  (\(perSecond >= 100 ? Formatting.fixed(perSecond, 0) : Formatting.fixed(perSecond, 1))/s)"
    }

    private func pad(_ value: Int) -> String {
        let text = String(value)
        return String(repeating: " ", count: max(0, 3 - text.count)) + text
    }
}
