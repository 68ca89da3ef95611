/// A reference to a loop-confined object that may be carried across isolation boundaries, but is dereferenced
/// only on its loop.
///
/// `@unchecked Sendable` invariant: ``value`` is read only on `loop`'s thread (checked with `precondition`), so
/// the non-Sendable object is never touched concurrently.
public struct LoopBound<Value: AnyObject>: @unchecked Sendable {
    /// The loop the object lives on.
    public let loop: any EventLoop
    private let object: Value

    /// Wraps an object owned by `loop`.
    public init(_ value: Value, loop: any EventLoop) {
        self.object = value
        self.loop = loop
    }

    /// The object; only on the loop.
    public var value: Value {
        precondition(loop.inEventLoop, "a loop-bound object was used off its event loop")
        return object
    }

    /// Runs `body` with the object on its loop: inline when already there, else submitted.
    public func withValue(_ body: @escaping @Sendable (Value) -> Void) {
        loop.executeOrRun { body(self.value) }
    }
}
