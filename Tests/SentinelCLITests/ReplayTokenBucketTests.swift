import Testing

@testable import SentinelCLI

@Suite("Replay token bucket")
struct ReplayTokenBucketTests {
    @Test("a full bucket sends a burst at once, then paces at the rate")
    func burstThenPace() {
        let start = ContinuousClock.now
        var bucket = TokenBucket(rate: 1000, capacity: 100, now: start)
        #expect(bucket.take(100, now: start) == .zero)
        // Empty now: 100 more tokens take 100 ms at 1,000/s.
        #expect(bucket.take(100, now: start) == .milliseconds(100))
        // After that wait the debt is paid; 50 ms later 50 tokens are there again.
        #expect(bucket.take(50, now: start + .milliseconds(150)) == .zero)
        #expect(bucket.take(10, now: start + .milliseconds(150)) == .milliseconds(10))
    }

    @Test("tokens never exceed the capacity, however long the bucket sits")
    func capacityBound() {
        let start = ContinuousClock.now
        var bucket = TokenBucket(rate: 10, capacity: 5, now: start)
        #expect(bucket.take(5, now: start + .seconds(60)) == .zero)
        #expect(bucket.take(1, now: start + .seconds(60)) == .milliseconds(100))
    }

    @Test("a request larger than the capacity goes when full and leaves a debt, keeping the long-run rate")
    func oversizedRequest() {
        let start = ContinuousClock.now
        var bucket = TokenBucket(rate: 100, capacity: 10, now: start)
        #expect(bucket.take(50, now: start) == .zero)
        // Balance −40: a full bucket again (10 tokens) needs 50 tokens of refill, 0.5 s.
        #expect(bucket.take(50, now: start) == .milliseconds(500))
    }
}
