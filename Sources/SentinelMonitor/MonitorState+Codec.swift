import Foundation

extension MonitorState {
    /// The snapshot format version written by ``snapshotBytes()``.
    static let snapshotFormat = 1

    private struct Envelope: Codable {
        var format: Int
        var state: MonitorState
    }

    /// Encodes the state for a snapshot (JSON, NaN and infinities as strings).
    /// - Throws: An `EncodingError` (not expected for a valid state).
    public func snapshotBytes() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return Array(try encoder.encode(Envelope(format: Self.snapshotFormat, state: self)))
    }

    /// Decodes a snapshot written by ``snapshotBytes()``.
    /// - Parameter bytes: The snapshot.
    /// - Throws: ``MonitorError`` `.corruptState` when the bytes are not a snapshot of this format.
    public init(snapshotBytes bytes: [UInt8]) throws {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let envelope: Envelope
        do {
            envelope = try decoder.decode(Envelope.self, from: Data(bytes))
        } catch {
            throw MonitorError(.corruptState, "the snapshot does not decode: \(error)")
        }
        guard envelope.format == Self.snapshotFormat else {
            throw MonitorError(.corruptState, "snapshot format \(envelope.format), expected \(Self.snapshotFormat)")
        }
        self = envelope.state
    }
}
