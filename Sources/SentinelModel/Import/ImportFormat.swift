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

    /// The format a file's first bytes show, or nil when they show none of them.
    ///
    /// A JSON object is taken as XGBoost's and text starting `tree` as LightGBM's.
    public static func detect(_ bytes: [UInt8]) -> ImportFormat? {
        let first = bytes.first(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) })
        if first == UInt8(ascii: "{") { return .xgboostJSON }
        if bytes.starts(with: Array("tree\n".utf8)) || bytes.starts(with: Array("tree\r\n".utf8)) {
            return .lightGBMText
        }
        return nil
    }
}
