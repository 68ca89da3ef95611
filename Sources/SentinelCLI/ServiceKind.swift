import SentinelPosix
import SentinelRPC
import SentinelWire

/// Which Sentinel service a verb expects at its address, so that an answer from the other one is named.
///
/// A monitor answers UNIMPLEMENTED to the scoring methods and NOT_FOUND to a health check for
/// `sentinel.v1.Scoring` (and the reverse), so those answers mean the address is the other service.
///
/// ```swift
/// let reply = try await ServiceKind.api.call(client, .scoringModelInfo, payload: request, timeout: .seconds(10))
/// ```
enum ServiceKind: Sendable {
    /// `sentinel-api`.
    case api
    /// `sentinel-monitor`.
    case monitor

    /// How errors name it.
    var name: String {
        switch self {
        case .api: "scoring API"
        case .monitor: "monitor"
        }
    }

    /// The option that gives its address.
    var flag: String {
        switch self {
        case .api: "--api"
        case .monitor: "--monitor"
        }
    }

    /// The health-check service name it answers for.
    var healthService: String {
        switch self {
        case .api: "sentinel.v1.Scoring"
        case .monitor: "sentinel.v1.Monitor"
        }
    }

    /// The other service.
    var other: ServiceKind { self == .api ? .monitor : .api }

    /// Calls a method of this service; an answer showing the peer is the other service becomes a
    /// ``WrongServiceError``.
    /// - Throws: ``WrongServiceError``, or the call's ``RPCError``.
    func call(_ client: TCPClient, _ method: MethodID, payload: [UInt8], timeout: Duration?) async throws -> [UInt8] {
        do {
            return try await client.call(method, payload: payload, timeout: timeout)
        } catch {
            throw mismatch(error, address: client.address.description) ?? error
        }
    }

    /// The error to report when `error` shows the peer at `address` is the other service; `nil` otherwise.
    func mismatch(_ error: RPCError, address: String) -> WrongServiceError? {
        let otherService = error.code == .unimplemented && error.message.hasPrefix("unknown method")
        let otherHealth = error.code == .notFound && error.message == "unknown service '\(healthService)'"
        guard otherService || otherHealth else { return nil }
        return WrongServiceError(address: address, expected: self)
    }
}

/// An address that answers as the other Sentinel service: `127.0.0.1:8001 is a Sentinel monitor, not a scoring
/// API`.
struct WrongServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The address given.
    var address: String
    /// The service the verb wanted.
    var expected: ServiceKind

    /// One line naming what was found and what to give instead.
    var description: String {
        "\(address) is a Sentinel \(expected.other.name), not a \(expected.name) (\(expected.flag) takes the "
            + "\(expected.name)'s address)"
    }
}
