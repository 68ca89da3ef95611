extension PosixEventLoop {
    /// Suspends the caller for `duration` using the loop's timer; unlike `Task.sleep` it ignores cancellation
    /// (shutdown code runs in cancelled tasks and must still wait).
    public func sleep(for duration: Duration) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            execute {
                _ = self.scheduleTimer(at: .now + duration) { continuation.resume() }
            }
        }
    }
}
