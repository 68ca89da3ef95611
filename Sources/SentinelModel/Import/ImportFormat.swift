/// A model file format `sentinel model import` reads.
///
/// ```swift
/// let format = ImportFormat.detect(bytes)  // .xgboostJSON for a file saved by Booster.save_model("m.json")
/// ```
public enum ImportFormat: String, Sendable, CaseIterable {
    /// XGBoost's JSON model (`Booster.save_model("model.json")`).
    case xgboostJSON = "xgboost-json"
    /// LightGBM's text model (`Booster.save_model("model.txt")`).
    case lightGBMText = "lightgbm-text"
    /// An ONNX model (`ModelProto`), as skl2onnx writes scikit-learn models.
    case onnx

    /// The format a file's first bytes show, or nil when they show none of them.
    ///
    /// A JSON object is taken as XGBoost's, text starting `tree` as LightGBM's, and a protobuf message starting with
    /// `ModelProto`'s first field (`ir_version`, a small varint: tag byte 0x08) as ONNX.
    public static func detect(_ bytes: [UInt8]) -> ImportFormat? {
        if bytes.count >= 2, bytes[0] == 0x08, (1...127).contains(bytes[1]) { return .onnx }
        let first = bytes.first(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) })
        if first == UInt8(ascii: "{") { return .xgboostJSON }
        if bytes.starts(with: Array("tree\n".utf8)) || bytes.starts(with: Array("tree\r\n".utf8)) {
            return .lightGBMText
        }
        return nil
    }
}
