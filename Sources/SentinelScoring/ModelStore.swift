import SentinelLock
public import SentinelSchema
import Synchronization

/// The live model and the rules for replacing it.
///
/// Readers call ``current`` once per request (a lock held for one reference copy). ``reload(_:)`` loads and
/// validates the new model outside that lock, then swaps the reference: in-flight requests keep the handle they
/// took. Reloads are serialised by a second lock, so two concurrent reloads cannot interleave their checks.
///
/// The store starts empty (the service answers Health NOT_SERVING until the first load succeeds).
///
/// ```swift
/// let store = ModelStore(configuredPath: "model.sentinel")
/// let (response, model) = try store.reload(ReloadModelRequest())
/// ```
public final class ModelStore: Sendable {
    private let live = Lock<ModelHandle?>(nil)
    private let reloadGate = Lock(())
    /// The path reloaded when a request (or SIGHUP) names none.
    public let configuredPath: String

    /// Creates an empty store.
    /// - Parameter configuredPath: The path a reload without a path reads.
    public init(configuredPath: String) {
        self.configuredPath = configuredPath
    }

    /// The live model, or `nil` before the first successful load.
    public var current: ModelHandle? {
        live.withLock { $0 }
    }

    /// Loads a model, validates it against the live one and swaps it in (blocking file I/O: call it off the event
    /// loops).
    ///
    /// Checks, in order: the file loads (format, hash, consistency, smoke score on the reference means — see
    /// ``ModelHandle/load(path:)``); its version is the expected one, if the request names one; its feature names
    /// equal the live model's unless `allowFeatureChange`. A failure leaves the live model in place. The first load
    /// (empty store) checks only the file and the expected version.
    /// - Parameters:
    ///   - request: The path (empty: ``configuredPath``), expected version and feature-change permission.
    ///   - commit: Decides, just before the swap, whether the reload still happens (it does not once cancelled).
    ///   - beforeSwap: Called with the validated model just before it goes live (the reporter registers its
    ///     reference profile there, so no event of the new version precedes the registration).
    /// - Returns: The response to send: old and new version, what happened, whether the features changed.
    /// - Throws: ``ScoringError`` `.reloadFailed` saying why; `CancellationError` when `commit` was cancelled first.
    public func reload(
        _ request: ReloadModelRequest, commit: ReloadCommit = ReloadCommit(),
        beforeSwap: (ModelHandle) -> Void = { _ in }
    ) throws -> (response: ReloadModelResponse, model: ModelHandle) {
        try reloadGate.withLock { _ in
            let path = request.path.isEmpty ? configuredPath : request.path
            let candidate = try ModelHandle.load(path: path)
            let old = current
            let oldVersion = old?.version ?? ""
            let still = old.map { "; still serving \($0.version)" } ?? ""
            if let expected = request.expectedVersion, expected != candidate.version {
                throw ScoringError(
                    .reloadFailed,
                    "model '\(path)' has version \(candidate.version), expected \(expected)\(still)")
            }
            let oldFeatures = old?.featureNames ?? candidate.featureNames
            let featuresChanged = candidate.featureNames != oldFeatures
            if featuresChanged && !request.allowFeatureChange {
                throw ScoringError(
                    .reloadFailed,
                    "model '\(path)' (\(candidate.version)) has different features "
                        + "(\(Self.describeChange(from: oldFeatures, to: candidate.featureNames))); "
                        + "set allow_feature_change to accept\(still)")
            }
            // The commit point: a reload cancelled (deadline, CANCEL, closed connection) before here does not
            // happen; after here it completes and is answered.
            guard commit.tryCommit() else { throw CancellationError() }
            beforeSwap(candidate)
            live.withLock { $0 = candidate }
            let smoke = "smoke score \(candidate.smokeScore)"
            let message =
                featuresChanged
                ? "features changed (\(Self.describeChange(from: oldFeatures, to: candidate.featureNames))); \(smoke)"
                : "features unchanged; \(smoke)"
            return (
                ReloadModelResponse(
                    oldVersion: oldVersion, newVersion: candidate.version, message: message,
                    featuresChanged: featuresChanged),
                candidate
            )
        }
    }

    /// A short account of how two feature lists differ, e.g. `30 → 29 inputs, first difference at 3: V3 → V4`.
    static func describeChange(from old: [String], to new: [String]) -> String {
        let common = min(old.count, new.count)
        let first = (0..<common).first { old[$0] != new[$0] }
        var text = "\(old.count) → \(new.count) inputs"
        if let first {
            text += ", first difference at \(first): \(old[first]) → \(new[first])"
        }
        return text
    }
}

/// The race between a reload reaching its swap and its caller giving up: whichever comes first wins, once.
///
/// The reload thread calls ``tryCommit()`` just before the swap; the caller's cancellation handler calls
/// ``cancel()``. Either the swap happens and ``cancel()`` returns `false` (the reload is answered as done), or it
/// does not happen at all.
public final class ReloadCommit: Sendable {
    private enum State: UInt8 {
        case pending, committed, cancelled
    }

    private let state = Atomic<UInt8>(State.pending.rawValue)

    /// Creates an undecided commit.
    public init() {}

    /// Commits unless cancelled first. - Returns: Whether the reload may swap.
    public func tryCommit() -> Bool {
        state.compareExchange(
            expected: State.pending.rawValue, desired: State.committed.rawValue, ordering: .acquiringAndReleasing
        ).exchanged || state.load(ordering: .acquiring) == State.committed.rawValue
    }

    /// Cancels unless committed first. - Returns: Whether the reload will not swap.
    @discardableResult
    public func cancel() -> Bool {
        state.compareExchange(
            expected: State.pending.rawValue, desired: State.cancelled.rawValue, ordering: .acquiringAndReleasing
        ).exchanged || state.load(ordering: .acquiring) == State.cancelled.rawValue
    }
}
