import SentinelLock
import Synchronization
import Testing

@testable import SentinelCLI

@Suite("Progress bar")
struct ProgressBarTests {
    final class Sink: Sendable {
        let text = Lock("")
        func console(terminal: Bool) -> Console {
            Console(
                writeOutput: { _ in }, writeError: { line in self.text.withLock { $0 += line } },
                errorIsTerminal: terminal, environment: [:])
        }
        var value: String { text.withLock { $0 } }
    }

    /// A clock that advances one second per reading.
    final class Ticks: Sendable {
        let count = Lock(0)
        func next() -> Duration {
            .seconds(
                count.withLock {
                    $0 += 1
                    return $0
                })
        }
    }

    @Test("on a terminal: one bar per phase with name, elapsed, rate and ETA, redrawn once per percent; a final line")
    func terminal() {
        let sink = Sink()
        let ticks = Ticks()
        var bar = ProgressBar(console: sink.console(terminal: true), width: 10, clock: { ticks.next() })
        for round in 0...200 {
            bar.update(stage: "fitting", completed: round, total: 200)
        }
        bar.update(stage: "final model", completed: 1, total: 2)
        bar.finish("final model: 2 trees")
        let text = sink.value
        // fitting at 0…100 %, its final line, final model at 50 %, its final line.
        #expect(text.filter { $0 == "\r" }.count == 101 + 1 + 1 + 1)
        // The phase starts at the first reading and each redraw reads once: 50 % is drawn 51 s in.
        #expect(text.contains("\rfitting  [#####     ]  50%  100/200  51.0 s  (2.0/s)  ETA 51.0 s\u{1B}[K"))
        #expect(text.contains("\rfitting: 200 of 200 in "))
        #expect(!text.contains("100/200  ETA"))
        #expect(text.hasSuffix("\rfinal model: 2 trees\u{1B}[K\n"))
        #expect(text.filter { $0 == "\n" }.count == 2)
    }

    @Test("a timed phase: the bar and ETA follow the clock, the count and rate the work; the default final line")
    func timed() {
        let sink = Sink()
        let ticks = Ticks()
        var bar = ProgressBar(console: sink.console(terminal: true), width: 10, clock: { ticks.next() })
        // The phase starts at the first reading (1 s); each update reads once more: 100·n requests at n + 1 s.
        for answered in stride(from: 0, through: 1000, by: 100) {
            bar.update(stage: "measuring", completed: answered, unit: "requests", lasting: .seconds(4))
        }
        bar.finish()
        let text = sink.value
        #expect(text.contains("\rmeasuring  [#####     ]  50%  100 requests  2.0 s  (50.0/s)  ETA 2.0 s\u{1B}[K"))
        #expect(text.contains("\rmeasuring  [##########] 100%  300 requests  4.0 s  (75.0/s)\u{1B}[K"))
        // Past the set time the bar stays full and is not redrawn; the final line has the last count.
        #expect(!text.contains("400 requests  "))
        #expect(text.hasSuffix("\rmeasuring: 1000 requests in 12.0 s  (83.3/s)\u{1B}[K\n"))
    }

    @Test("nothing when stderr is not a terminal, or when disabled (--quiet, --json)")
    func hidden() {
        let sink = Sink()
        var plain = ProgressBar(console: sink.console(terminal: false))
        var quiet = ProgressBar(console: sink.console(terminal: true), enabled: false)
        for round in 0...50 {
            plain.update(stage: "validation model", completed: round, total: 50)
            quiet.update(stage: "validation model", completed: round, total: 50)
        }
        plain.finish()
        quiet.finish("done")
        #expect(sink.value.isEmpty)
    }
}
