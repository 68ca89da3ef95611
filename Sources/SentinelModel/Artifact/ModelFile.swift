import Foundation

/// A model artifact together with its content hash: the unit that is written to and read from disk.
///
/// The file is UTF-8 JSON with a fixed envelope followed by the body:
///
/// ```text
/// {
///   "format" : "sentinel-model",
///   "format_version" : 1 or 2 (see ModelArtifact.formatVersion),
///   "model_version" : "<first 12 hex digits of sha256>",
///   "sha256" : "<SHA-256 of the body bytes, 64 lower-case hex digits>",
///   "body" : <the ModelArtifact as JSON: keys sorted, two-space indentation, shortest round-trip numbers>
/// }
/// ```
///
/// The hash covers exactly the bytes of the body as they appear in the file, so a reader checks it without
/// re-encoding anything. The same artifact always encodes to the same bytes.
///
/// ```swift
/// let file = try ModelFile(artifact: artifact)
/// try file.write(to: "model.sentinel")
/// let loaded = try ModelFile(contentsOf: "model.sentinel")
/// print(loaded.modelVersion)
/// ```
public struct ModelFile: Sendable, Equatable {
    /// The model.
    public var artifact: ModelArtifact
    /// SHA-256 of the encoded body, lower-case hex.
    public var sha256: String
    /// The model version: the first 12 hex digits of ``sha256``.
    public var modelVersion: String
    /// The encoded body.
    private var body: [UInt8]

    private static let marker = Array("  \"body\" : ".utf8)
    private static let suffix = Array("\n}\n".utf8)

    /// Validates and encodes an artifact, and hashes it.
    /// - Parameter artifact: The model.
    /// - Throws: ``ModelError`` `.inconsistent` when the artifact fails ``ModelArtifact/validate()``, or
    ///   `.invalidData` when a number cannot be written as JSON.
    public init(artifact: ModelArtifact) throws {
        try artifact.validate()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let body: [UInt8]
        do {
            body = Array(try encoder.encode(artifact))
        } catch {
            throw ModelError(.invalidData, "the model cannot be written as JSON", cause: error)
        }
        self.artifact = artifact
        self.body = body
        self.sha256 = SHA256.hex(SHA256.hash(body))
        self.modelVersion = String(sha256.prefix(12))
    }

    /// The file's bytes.
    public func encoded() -> [UInt8] {
        var bytes = Array(
            """
            {
              "format" : "\(ModelArtifact.formatName)",
              "format_version" : \(artifact.requiredFormatVersion),
              "model_version" : "\(modelVersion)",
              "sha256" : "\(sha256)",

            """.utf8)
        bytes += Self.marker
        bytes += body
        bytes += Self.suffix
        return bytes
    }

    /// Reads and checks a model file's bytes.
    ///
    /// Checks, in order: the bytes are the complete JSON document (else `.truncated` or `.corrupted`), the format
    /// name (`.unsupportedFormat`), the format version (`.unsupportedVersion`), the body hash and model version
    /// (`.corrupted`), the body's structure (`.inconsistent`), and ``ModelArtifact/validate()``.
    /// - Parameter bytes: The file's contents.
    /// - Throws: ``ModelError`` with the code of the first check that fails.
    public init(decoding bytes: [UInt8]) throws {
        guard !bytes.isEmpty else {
            throw ModelError(.truncated, "the model file is empty")
        }
        struct Envelope: Decodable {
            var format: String?
            var formatVersion: Int?
            var modelVersion: String?
            var sha256: String?
            enum CodingKeys: String, CodingKey {
                case format
                case formatVersion = "format_version"
                case modelVersion = "model_version"
                case sha256
            }
        }
        let expectedStart = Array("{\n  \"format\" : \"\(ModelArtifact.formatName)\",".utf8)
        if bytes.count < expectedStart.count, expectedStart.starts(with: bytes) {
            throw ModelError(.truncated, "the model file is truncated (\(bytes.count) bytes)")
        }
        let looksLikeModel = Self.find(Array("\"format\" : \"\(ModelArtifact.formatName)\"".utf8), in: bytes) != nil
        let envelope: Envelope
        do {
            envelope = try JSONDecoder().decode(Envelope.self, from: Data(bytes))
        } catch {
            guard looksLikeModel else {
                throw ModelError(.unsupportedFormat, "not a Sentinel model file (it is not a JSON object)")
            }
            if !bytes.ends(with: Self.suffix) {
                throw ModelError(
                    .truncated, "the model file is truncated (\(bytes.count) bytes; its closing brace is missing)")
            }
            throw ModelError(.corrupted, "the model file is not valid JSON", cause: error)
        }
        guard envelope.format == ModelArtifact.formatName else {
            throw ModelError(
                .unsupportedFormat,
                "not a Sentinel model file (format is \(envelope.format.map { "'\($0)'" } ?? "missing"), "
                    + "expected '\(ModelArtifact.formatName)')")
        }
        guard let version = envelope.formatVersion else {
            throw ModelError(.unsupportedVersion, "the model file has no format_version")
        }
        guard (1...ModelArtifact.formatVersion).contains(version) else {
            throw ModelError(
                .unsupportedVersion,
                "model format version \(version) is not supported; this build reads versions 1 to "
                    + "\(ModelArtifact.formatVersion)")
        }
        guard let start = Self.find(Self.marker, in: bytes), bytes.ends(with: Self.suffix),
            start + Self.marker.count <= bytes.count - Self.suffix.count
        else {
            throw ModelError(.corrupted, "the model file's envelope has been rewritten; the body cannot be located")
        }
        let body = Array(bytes[(start + Self.marker.count)..<(bytes.count - Self.suffix.count)])
        let digest = SHA256.hex(SHA256.hash(body))
        guard let recorded = envelope.sha256, recorded == digest else {
            throw ModelError(
                .corrupted,
                "content hash mismatch: the file records \(envelope.sha256 ?? "none") but its body hashes to "
                    + "\(digest); the file was modified or damaged")
        }
        guard envelope.modelVersion == String(digest.prefix(12)) else {
            throw ModelError(
                .corrupted,
                "model_version \(envelope.modelVersion ?? "missing") does not match the content hash \(digest)")
        }
        let artifact: ModelArtifact
        do {
            artifact = try JSONDecoder().decode(ModelArtifact.self, from: Data(body))
        } catch {
            throw ModelError(.inconsistent, "the model body does not have the expected structure", cause: error)
        }
        guard artifact.requiredFormatVersion <= version else {
            throw ModelError(
                .inconsistent,
                "the model body needs format version \(artifact.requiredFormatVersion) but the file says \(version)")
        }
        try artifact.validate()
        self.artifact = artifact
        self.body = body
        self.sha256 = digest
        self.modelVersion = String(digest.prefix(12))
    }

    /// Why `path` cannot be read, as the system says it ("No such file or directory", "Is a directory"):
    /// Foundation's own error text is a dump of its user-info dictionary.
    private static func readFailureReason(_ path: String) -> String {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return String(cString: strerror(errno)) }
        defer { close(fd) }
        var byte: UInt8 = 0
        return read(fd, &byte, 1) < 0 ? String(cString: strerror(errno)) : "read failed"
    }

    /// Reads and checks a model file.
    /// - Parameter path: The file's path.
    /// - Throws: ``ModelError`` `.io` when the file cannot be read, else as ``init(decoding:)``.
    public init(contentsOf path: String) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ModelError(.io, "cannot read model file \(path): \(Self.readFailureReason(path))")
        }
        do {
            try self.init(decoding: Array(data))
        } catch var error as ModelError {
            error.message = "\(path): \(error.message)"
            throw error
        }
    }

    /// Writes the file atomically (to a temporary file, then renamed over `path`).
    /// - Parameter path: Where to write.
    /// - Throws: ``ModelError`` `.io` when writing fails.
    public func write(to path: String) throws {
        do {
            try Data(encoded()).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ModelError(.io, "cannot write model file \(path)", cause: error)
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        // The envelope sits at the start of the file, so this ends quickly for real model files.
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return start }
        }
        return nil
    }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && self[(count - suffix.count)...].elementsEqual(suffix)
    }
}
