import Foundation
import SentinelLog

/// A small JSON writer that keeps keys in the order written, so the snapshot's JSON has a stable shape.
///
/// Non-finite numbers are written as `null` (JSON has no NaN); strings are escaped per RFC 8259.
struct JSONWriter {
    private(set) var text = ""
    private var needsComma: [Bool] = [false]

    mutating func object(_ body: (inout JSONWriter) -> Void) {
        separate()
        text += "{"
        needsComma.append(false)
        body(&self)
        needsComma.removeLast()
        text += "}"
    }

    mutating func array<S: Sequence>(_ elements: S, _ body: (inout JSONWriter, S.Element) -> Void) {
        separate()
        text += "["
        needsComma.append(false)
        for element in elements { body(&self, element) }
        needsComma.removeLast()
        text += "]"
    }

    mutating func key(_ name: String) {
        separate()
        writeString(name)
        text += ":"
        needsComma[needsComma.count - 1] = false
    }

    mutating func field(_ name: String, _ value: String) {
        key(name)
        string(value)
    }

    mutating func field(_ name: String, _ value: Double) {
        key(name)
        number(value)
    }

    mutating func field<I: BinaryInteger>(_ name: String, _ value: I) {
        key(name)
        separate()
        text += "\(value)"
    }

    mutating func field(_ name: String, _ value: Bool) {
        key(name)
        separate()
        text += value ? "true" : "false"
    }

    mutating func integer<I: BinaryInteger>(_ value: I) {
        separate()
        text += "\(value)"
    }

    mutating func null() {
        separate()
        text += "null"
    }

    mutating func string(_ value: String) {
        separate()
        writeString(value)
    }

    mutating func number(_ value: Double) {
        separate()
        guard value.isFinite else {
            text += "null"
            return
        }
        if value == value.rounded() && abs(value) < 1e15 {
            text += String(Int64(value))
        } else {
            text += "\(value)"
        }
    }

    private mutating func separate() {
        if needsComma[needsComma.count - 1] { text += "," }
        needsComma[needsComma.count - 1] = true
    }

    private mutating func writeString(_ value: String) {
        JSONString.append(value, to: &text)
    }
}
