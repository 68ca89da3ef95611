import SentinelModel
import SentinelONNX

extension FuzzTarget {
    /// The model-file loader (`ModelFile(decoding:)`, what `sentinel-api` runs on `--model` and on a reload) and the
    /// importers for XGBoost JSON, LightGBM text and ONNX (`ModelImporter.read` with `ONNXDecoder.decode`, as
    /// `sentinel model import` calls it).
    ///
    /// Each input is read three ways: as a whole file; as a file body, wrapped in an envelope with its true hash so
    /// the fuzzer reaches the body's decoding and ``ModelArtifact/validate()`` past the hash check; and as a source
    /// model to import. Checked: each succeeds or throws a `ModelError`; a file that loads re-encodes to a file that
    /// loads as the same model.
    static let modelFile = FuzzTarget(
        name: "model-file",
        summary: "ModelFile(decoding:) whole and hash-wrapped, ModelImporter.read with ONNX: ModelError or a model"
    ) { input throws(FuzzFinding) in
        let bytes = Array(input)
        if let file = try modelResult("ModelFile(decoding:)", { try ModelFile(decoding: bytes) }) {
            try checkRoundTrip(file)
        }
        let wrapped = wrapAsModelFile(body: bytes)
        if let file = try modelResult("ModelFile(decoding:) of a wrapped body", { try ModelFile(decoding: wrapped) }) {
            try checkRoundTrip(file)
        }
        _ = try modelResult("ModelImporter.read") {
            try ModelImporter.read(bytes, format: nil, decodeONNX: ONNXDecoder.decode)
        }
    }

    /// A model file around `body`, with the envelope `ModelFile.encoded()` writes and the body's true hash.
    static func wrapAsModelFile(body: [UInt8]) -> [UInt8] {
        let digest = SHA256.hex(SHA256.hash(body))
        let envelope =
            "{\n  \"format\" : \"\(ModelArtifact.formatName)\",\n"
            + "  \"format_version\" : \(ModelArtifact.formatVersion),\n"
            + "  \"model_version\" : \"\(digest.prefix(12))\",\n  \"sha256\" : \"\(digest)\",\n  \"body\" : "
        return Array(envelope.utf8) + body + Array("\n}\n".utf8)
    }

    /// A loaded model re-encodes, from its bytes and from its artifact, to files that load as the same model.
    private static func checkRoundTrip(_ file: ModelFile) throws(FuzzFinding) {
        let reread = try modelResult("ModelFile(decoding:) of a re-encoded model") {
            try ModelFile(decoding: file.encoded())
        }
        guard let reread, reread.sha256 == file.sha256 else {
            throw FuzzFinding("model-file: a model that loads does not load again from its own encoding")
        }
        let fresh = try modelResult("ModelFile(artifact:) of a loaded model") { try ModelFile(artifact: file.artifact) }
        guard let fresh else {
            throw FuzzFinding("model-file: the artifact of a model that loads fails validation when written")
        }
        let freshReread = try modelResult("ModelFile(decoding:) of a rewritten model") {
            try ModelFile(decoding: fresh.encoded())
        }
        guard let freshReread, freshReread.sha256 == fresh.sha256 else {
            throw FuzzFinding("model-file: the artifact of a model that loads, written anew, does not load")
        }
    }

    /// The value, nil for a `ModelError`, a finding for any other error.
    private static func modelResult<Value>(_ what: String, _ body: () throws -> Value) throws(FuzzFinding) -> Value? {
        do {
            return try body()
        } catch is ModelError {
            return nil
        } catch {
            throw FuzzFinding("\(what) threw \(type(of: error)), not a ModelError: \(error)")
        }
    }
}
