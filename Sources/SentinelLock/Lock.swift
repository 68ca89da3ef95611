#if SENTINEL_PTHREAD_LOCK
    #if canImport(Glibc)
        import Glibc
    #elseif canImport(Darwin)
        import Darwin
    #endif

    /// A value protected by a mutual-exclusion lock: Sentinel's lock for short synchronous critical sections.
    ///
    /// An ordinary build uses the toolchain's `Synchronization.Mutex` (``Lock`` is a type alias for it). A build with
    /// `-Xswiftc -DSENTINEL_PTHREAD_LOCK` — the ThreadSanitizer and AddressSanitizer runs — uses this class over
    /// `pthread_mutex_t` instead, with the same API: on Linux `Mutex` locks with futexes that ThreadSanitizer does not
    /// model, so it reports races between two accesses made under the same lock; `pthread_mutex_lock` it intercepts.
    ///
    /// ```swift
    /// let counts = Lock([String: Int]())
    /// counts.withLock { $0["scored", default: 0] += 1 }
    /// ```
    public final class Lock<Value: ~Copyable>: @unchecked Sendable {
        // @unchecked Sendable: `value` is read and written only inside `withLock`, between `pthread_mutex_lock` and
        // `pthread_mutex_unlock` on `mutex`, which the class allocates and never shares.
        private let mutex: UnsafeMutablePointer<pthread_mutex_t>
        private let value: UnsafeMutablePointer<Value>

        /// Creates a lock protecting `initialValue`.
        /// - Parameter initialValue: The value, which from now on is reached only through ``withLock(_:)``.
        public init(_ initialValue: consuming sending Value) {
            mutex = .allocate(capacity: 1)
            precondition(pthread_mutex_init(mutex, nil) == 0, "pthread_mutex_init failed")
            value = .allocate(capacity: 1)
            value.initialize(to: initialValue)
        }

        deinit {
            value.deinitialize(count: 1)
            value.deallocate()
            pthread_mutex_destroy(mutex)
            mutex.deallocate()
        }

        /// Runs `body` with exclusive access to the value.
        ///
        /// Not reentrant: calling `withLock` on the same lock inside `body` deadlocks.
        /// - Parameter body: Reads or changes the value; keep it short and never suspend in it.
        /// - Returns: What `body` returns.
        /// - Throws: What `body` throws (the lock is released first).
        public func withLock<Result: ~Copyable, E: Error>(
            _ body: (inout sending Value) throws(E) -> sending Result
        ) throws(E) -> sending Result {
            pthread_mutex_lock(mutex)
            defer { pthread_mutex_unlock(mutex) }
            return try body(&value.pointee)
        }
    }
#else
    public import Synchronization

    /// A value protected by a mutual-exclusion lock: Sentinel's lock for short synchronous critical sections.
    ///
    /// In an ordinary build this is the toolchain's `Synchronization.Mutex`. A build with
    /// `-Xswiftc -DSENTINEL_PTHREAD_LOCK` — the ThreadSanitizer and AddressSanitizer runs — makes it a class over
    /// `pthread_mutex_t` with the same API: on Linux `Mutex` locks with futexes that ThreadSanitizer does not model,
    /// so it reports races between two accesses made under the same lock; `pthread_mutex_lock` it intercepts.
    /// Code that uses it imports `Synchronization` as well, for `withLock`.
    ///
    /// ```swift
    /// let counts = Lock([String: Int]())
    /// counts.withLock { $0["scored", default: 0] += 1 }
    /// ```
    public typealias Lock<Value: ~Copyable> = Mutex<Value>
#endif
