#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Exact, fast parsing of the field types found in transaction files: decimals, labels and date-times.
enum NumberParser {
    /// Exact powers of ten: every 10^k for k ≤ 22 is representable in a `Double`.
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
        1e19, 1e20, 1e21, 1e22,
    ]

    /// Parses a decimal number, giving exactly the `Double` that `strtod` (and Swift's `Double(String)`) gives.
    ///
    /// Accepted: `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`. Not accepted: empty text, spaces,
    /// `nan`, `inf`, hexadecimal floats, thousands separators.
    ///
    /// The fast path is exact by Clinger's argument: when the significant digits form an integer w ≤ 2^53 and the
    /// decimal exponent e satisfies |e| ≤ 22, both w and 10^|e| are exact doubles, so the single IEEE multiplication
    /// or division w × 10^e (or w ÷ 10^−e) is correctly rounded — it *is* the nearest double to the decimal value.
    /// A second exact path handles up to 19 significant digits with 1 ≤ −e ≤ 27 (such as `0.037037037037037035`)
    /// by integer division (see `quotient(_:dividedByPowerOfTen:)`).
    /// Every other number goes to `strtod` (correctly rounded in glibc), which sees only validated text. Sentinel
    /// never calls `setlocale`, so `strtod` runs in the C locale, where the decimal point is `.`.
    /// - Returns: The value, or `nil` when the text is not a decimal number or is too large for a finite `Double`.
    @inline(__always)
    static func parseDouble(_ text: UnsafePointer<UInt8>, count: Int) -> Double? {
        var index = 0
        var negative = false
        if count > 0, text[0] == UInt8(ascii: "-") || text[0] == UInt8(ascii: "+") {
            negative = text[0] == UInt8(ascii: "-")
            index = 1
        }
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var sawDigit = false
        var exponent = 0
        var inexact = false
        while index < count {
            let digit = text[index] &- 48
            guard digit < 10 else { break }
            sawDigit = true
            if mantissa != 0 || digit != 0 {
                if significantDigits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                    significantDigits += 1
                } else {
                    inexact = true
                    exponent += 1
                }
            }
            index += 1
        }
        if index < count, text[index] == UInt8(ascii: ".") {
            index += 1
            while index < count {
                let digit = text[index] &- 48
                guard digit < 10 else { break }
                sawDigit = true
                if mantissa != 0 || digit != 0 {
                    if significantDigits < 19 {
                        mantissa = mantissa &* 10 &+ UInt64(digit)
                        significantDigits += 1
                        exponent -= 1
                    } else {
                        inexact = true
                    }
                } else {
                    exponent -= 1
                }
                index += 1
            }
        }
        guard sawDigit else { return nil }
        if index < count, text[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if index < count, text[index] == UInt8(ascii: "-") || text[index] == UInt8(ascii: "+") {
                exponentNegative = text[index] == UInt8(ascii: "-")
                index += 1
            }
            var value = 0
            var sawExponentDigit = false
            while index < count {
                let digit = text[index] &- 48
                guard digit < 10 else { break }
                sawExponentDigit = true
                if value < 100_000 { value = value * 10 + Int(digit) }
                index += 1
            }
            guard sawExponentDigit else { return nil }
            exponent += exponentNegative ? -value : value
        }
        guard index == count else { return nil }
        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        if !inexact, mantissa <= 1 << 53, exponent >= -22, exponent <= 22 {
            let value =
                exponent < 0
                ? Double(mantissa) / powersOfTen[-exponent] : Double(mantissa) * powersOfTen[exponent]
            return negative ? -value : value
        }
        if !inexact, exponent < 0, exponent >= -27 {
            let value = quotient(mantissa, dividedByPowerOfTen: -exponent)
            return negative ? -value : value
        }
        return slowParse(text, count: count)
    }

    /// Powers of five that fit in 63 bits: 5^0 ... 5^27.
    private static let powersOfFive: [UInt64] = (0...27).map { k in (0..<k).reduce(1) { value, _ in value * 5 } }

    /// The double nearest to w ÷ 10^k (ties to even), for 1 ≤ w < 2^64 and 1 ≤ k ≤ 27, by exact integer division.
    ///
    /// w ÷ 10^k = (w ÷ 5^k) × 2^−k. Normalise w to w′ = w × 2^z ∈ [2^63, 2^64); with 5^k ∈ [2^(b−1), 2^b), the
    /// 128-bit quotient q = ⌊w′ × 2^(b−1) ÷ 5^k⌋ lies in [2^62, 2^64), and the remainder r tells whether anything
    /// was cut off. The exact value is (q + r ÷ 5^k) × 2^(−(b−1)−z−k); rounding q to 53 bits uses the bits below
    /// them plus r ≠ 0 as the sticky bit, which is exactly round-to-nearest-even of the true quotient. The result
    /// lies between 10^−27 and 2^64, far from overflow and subnormals, so scaling by a power of two is exact.
    @inline(__always)
    private static func quotient(_ w: UInt64, dividedByPowerOfTen k: Int) -> Double {
        let divisor = powersOfFive[k]
        let z = w.leadingZeroBitCount
        let normalized = w << UInt64(z)
        let shift = (64 - divisor.leadingZeroBitCount) - 1  // b − 1, in 2...62
        let high = normalized >> UInt64(64 - shift)
        let low = normalized << UInt64(shift)
        let (q, r) = divisor.dividingFullWidth((high: high, low: low))
        let dropped = 64 - q.leadingZeroBitCount - 53  // 10 or 11 bits below the 53 kept
        var significand = q >> UInt64(dropped)
        let rest = q & ((1 << UInt64(dropped)) - 1)
        let half: UInt64 = 1 << UInt64(dropped - 1)
        var exponent = dropped - shift - z - k
        if rest > half || (rest == half && (r != 0 || significand & 1 == 1)) {
            significand += 1
            if significand == 1 << 53 {
                significand >>= 1
                exponent += 1
            }
        }
        return Double(sign: .plus, exponent: exponent, significand: Double(significand))
    }

    /// `strtod` on a NUL-terminated copy of already validated text; `nil` when the value overflows to infinity.
    private static func slowParse(_ text: UnsafePointer<UInt8>, count: Int) -> Double? {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { buffer in
            let base = buffer.baseAddress!
            UnsafeMutableRawPointer(base).copyMemory(from: text, byteCount: count)
            base[count] = 0
            let value = strtod(base, nil)
            return value.isFinite ? value : nil
        }
    }

    /// Parses `YYYY-MM-DD HH:MM:SS` (a `T` instead of the space also works) or a bare `YYYY-MM-DD` (midnight).
    /// - Returns: Seconds since the Unix epoch (UTC) and the day, or `nil` for malformed text or impossible values.
    static func parseDateTime(_ text: UnsafePointer<UInt8>, count: Int) -> (seconds: Int64, day: Day)? {
        guard count == 19 || count == 10 else { return nil }
        @inline(__always) func number(_ start: Int, _ length: Int) -> Int? {
            var value = 0
            for index in start..<(start + length) {
                let digit = text[index] &- 48
                guard digit < 10 else { return nil }
                value = value * 10 + Int(digit)
            }
            return value
        }
        guard text[4] == UInt8(ascii: "-"), text[7] == UInt8(ascii: "-"),
            let year = number(0, 4), let month = number(5, 2), let dayOfMonth = number(8, 2),
            let day = Day(year: year, month: month, day: dayOfMonth)
        else { return nil }
        var secondsOfDay = 0
        if count == 19 {
            guard text[10] == UInt8(ascii: " ") || text[10] == UInt8(ascii: "T"),
                text[13] == UInt8(ascii: ":"), text[16] == UInt8(ascii: ":"),
                let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
                hour < 24, minute < 60, second < 60
            else { return nil }
            secondsOfDay = hour * 3600 + minute * 60 + second
        }
        return (Int64(day.daysSinceEpoch) * 86_400 + Int64(secondsOfDay), day)
    }
}
