import Foundation

extension Double {
    /// The value with four significant digits (`0.9307`, `0.25`, `3.1e-05`), for human reason texts; the exact
    /// value travels separately (e.g. ``DriftTransition/value``).
    var reasonText: String {
        guard isFinite else { return "\(self)" }
        return String(format: "%.4g", self)
    }
}
