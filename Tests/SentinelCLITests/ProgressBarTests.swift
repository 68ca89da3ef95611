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

    @Test("on a terminal it redraws in place, once per percent, and closes its line")
    func terminal() {
        let sink = Sink()
        var bar = ProgressBar(console: sink.console(terminal: true), width: 10)
        for round in 0...200 {
            bar.update(stage: "fitting", completed: round, total: 200)
        }
        bar.finish()
        let text = sink.value
        #expect(text.filter { $0 == "\r" }.count == 101)  // 0 % … 100 %
        #expect(text.contains("\r[##########] 100% fitting (200/200)"))
        #expect(text.hasSuffix("\n"))
        #expect(text.filter { $0 == "\n" }.count == 1)
    }

    @Test("elsewhere it writes one line when a stage starts and one when it ends")
    func plain() {
        let sink = Sink()
        var bar = ProgressBar(console: sink.console(terminal: false))
        for round in 0...50 {
            bar.update(stage: "validation model", completed: round, total: 50)
        }
        bar.update(stage: "final model", completed: 1, total: 1)
        bar.finish()
        #expect(
            sink.value == "validation model…\nvalidation model: done\nfinal model…\nfinal model: done\n")
    }
}
