import Glibc

/// Starts a joinable-free (detached at the pthread level) OS thread running a closure.
///
/// Defined in a library on purpose: a thread entry closure written in `main.swift` would be main-actor isolated
/// and trap on the isolation check. The thread's lifetime is still owned by structured code: ``PosixEventLoop/run()``
/// awaits its end.
enum LoopThread {
    private final class Body {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    static func start(_ body: @escaping () -> Void) {
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(
            &thread, nil,
            { context in
                let body = Unmanaged<Body>.fromOpaque(context!).takeRetainedValue()
                body.run()
                return nil
            }, context)
        precondition(status == 0, "pthread_create failed with \(status)")
        pthread_detach(thread)
    }
}
