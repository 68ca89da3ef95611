import Foundation
import SentinelLock
import SentinelLog
import Synchronization
import Testing

@Suite("JSON log lines")
struct JSONLogTests {
    final class Lines: Sendable {
        let lines = Lock<[String]>([])
        var all: [String] { lines.withLock { $0 } }
        func log(at date: Date) -> JSONLog {
            JSONLog(clock: { date }, sink: { line in self.lines.withLock { $0.append(line) } })
        }
    }

    @Test("time (RFC 3339 UTC, ms), level, msg, then the fields in order, one object per line")
    func shape() throws {
        let lines = Lines()
        let log = lines.log(at: Date(timeIntervalSince1970: 1_764_396_761.5034))
        log.info("listening", ["address": "127.0.0.1:8000", "port": 8000])
        log.log(
            .warning, "alert transition",
            ["value": .double(0.25), "nan": .double(.nan), "ok": .bool(true), "names": .strings(["a", "b"])])
        log.log(.error, "cannot serve", [])
        log.component("event-reporter").log(.info, "monitor reachable", [("sequence", .uint(UInt64.max))])
        #expect(
            lines.all == [
                #"{"time":"2025-11-29T06:12:41.503Z","level":"info","msg":"listening","address":"127.0.0.1:8000","port":8000}"#,
                #"{"time":"2025-11-29T06:12:41.503Z","level":"warning","msg":"alert transition","value":0.25,"nan":"nan","ok":true,"names":["a","b"]}"#,
                #"{"time":"2025-11-29T06:12:41.503Z","level":"error","msg":"cannot serve"}"#,
                #"{"time":"2025-11-29T06:12:41.503Z","level":"info","msg":"monitor reachable","component":"event-reporter","sequence":18446744073709551615}"#,
            ])
        for line in lines.all {
            #expect(try JSONSerialization.jsonObject(with: Data(line.utf8)) is [String: Any])
        }
    }

    @Test("strings are escaped: quotes, backslashes, newlines and control characters")
    func escaping() throws {
        #expect(JSONString.quote("\u{1}") == "\"\\u0001\"")
        #expect(JSONString.quote("a\"b\\c\nd\te\r") == #""a\"b\\c\nd\te\r""#)
        #expect(JSONString.quote("</script>") == #""\u003c/script>""#)
        let lines = Lines()
        lines.log(at: Date(timeIntervalSince1970: 0)).warning("odd \u{7}", ["k\"": "v\n"])
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(lines.all[0].utf8)) as? [String: String])
        #expect(object == ["time": "1970-01-01T00:00:00.000Z", "level": "warning", "msg": "odd \u{7}", "k\"": "v\n"])
    }
}

@Suite("Log throttle")
struct LogThrottleTests {
    @Test("one line per key per interval; the next one says how many were held back")
    func throttle() async throws {
        let throttle = LogThrottle(interval: .milliseconds(200))
        #expect(throttle.admit("frame_too_large") == 0)
        #expect(throttle.admit("frame_too_large") == nil)
        #expect(throttle.admit("frame_too_large") == nil)
        #expect(throttle.admit("idle_timeout") == 0, "keys are independent")
        try await Task.sleep(for: .milliseconds(250))
        #expect(throttle.admit("frame_too_large") == 2)
        #expect(throttle.admit("frame_too_large") == nil)
    }
}
