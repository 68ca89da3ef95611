/// A token bucket for `sentinel replay --rate`: tokens accrue at `rate` per second up to `capacity`; sending n
/// transactions takes n tokens, waiting for them when the bucket holds fewer.
///
/// Pure arithmetic on instants the caller supplies, so it is tested without a clock. A request larger than the
/// capacity is allowed once the bucket is full, leaving a debt (negative tokens) that later sends wait out, so the
/// long-run rate still equals `rate`.
struct TokenBucket {
    /// Tokens per second.
    let rate: Double
    /// The most tokens the bucket holds (the burst).
    let capacity: Double
    private var tokens: Double
    private var last: ContinuousClock.Instant

    /// Creates a full bucket.
    /// - Parameters:
    ///   - rate: Tokens per second, > 0.
    ///   - capacity: The burst, > 0.
    ///   - now: The starting instant.
    init(rate: Double, capacity: Double, now: ContinuousClock.Instant) {
        precondition(rate > 0 && capacity > 0)
        self.rate = rate
        self.capacity = capacity
        tokens = capacity
        last = now
    }

    /// Takes `count` tokens; returns how long to wait before sending (zero when they are there).
    mutating func take(_ count: Int, now: ContinuousClock.Instant) -> Duration {
        refill(now)
        let needed = min(Double(count), capacity)
        let wait: Duration
        if tokens >= needed {
            wait = .zero
        } else {
            let seconds = (needed - tokens) / rate
            wait = .nanoseconds(Int64((seconds * 1e9).rounded(.up)))
        }
        // Charge now; the wait brings the balance back to what the send needs.
        tokens -= Double(count)
        return wait
    }

    private mutating func refill(_ now: ContinuousClock.Instant) {
        guard now > last else { return }
        let (seconds, attoseconds) = last.duration(to: now).components
        tokens = min(capacity, tokens + (Double(seconds) + Double(attoseconds) * 1e-18) * rate)
        last = now
    }
}
