import Foundation
import SentinelMonitor

/// A fresh directory under the system's temporary directory, removed by `remove()`.
struct PersistenceScratch {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.path + "/sentinel-persist-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    func files() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }

    func files(withPrefix prefix: String, suffix: String) -> [String] {
        files().filter { $0.hasPrefix(prefix) && $0.hasSuffix(suffix) }
    }

    func bytes(_ name: String) -> [UInt8] {
        Array(FileManager.default.contents(atPath: path + "/" + name) ?? Data())
    }

    func write(_ name: String, _ bytes: [UInt8]) {
        _ = FileManager.default.createFile(atPath: path + "/" + name, contents: Data(bytes))
    }

    func size(_ name: String) -> Int64 {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path + "/" + name)
        return (attributes?[.size] as? NSNumber)?.int64Value ?? -1
    }
}

/// What one `StateStore.open` saw: the restored snapshot and the replayed records with their positions.
struct Recovered {
    var snapshot: StoredSnapshot?
    var records: [(record: LogRecord, position: LogPosition)] = []

    var payloads: [[UInt8]] { records.map(\.record.payload) }
    var positions: [UInt64] { records.map(\.position.index) }
}

/// Opens a store, collecting what recovery passes to the closures.
func openCollecting(
    _ directory: String, options: StateStoreOptions = StateStoreOptions(),
    rejectSnapshots: Set<String> = []
) throws -> (StateStore, Recovered) {
    var recovered = Recovered()
    let store = try StateStore.open(directory: directory, options: options) { snapshot in
        if rejectSnapshots.contains(snapshot.file) {
            throw PersistenceTestError(message: "rejected \(snapshot.file)")
        }
        recovered.snapshot = snapshot
    } replay: { record, position in
        recovered.records.append((record, position))
    }
    return (store, recovered)
}

struct PersistenceTestError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// A deterministic payload of `count` bytes for record `index`.
func testPayload(_ index: Int, count: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: index &* 31 &+ $0 &* 7 &+ 1) }
}

/// Options with small segments, optionally without syncs (crash simulations reopen hundreds of times).
func smallOptions(segmentBytes: Int = 4096, syncs: Bool = true) -> StateStoreOptions {
    var options = StateStoreOptions()
    options.segmentBytes = segmentBytes
    options.syncs = syncs
    return options
}
