import SentinelFuzzing

/// The target `main` chose; set once, before libFuzzer's driver starts calling ``testOneInput(_:_:)``.
nonisolated(unsafe) var selectedTarget: FuzzTarget?

/// libFuzzer's entry point: runs the selected target on one input; a finding is a crash, so the input is saved.
/// - Parameters:
///   - data: The input (nil when it is empty).
///   - size: Its length.
/// - Returns: 0 (the input may join the corpus).
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let target = selectedTarget else { fatalError("no fuzz target selected") }
    do {
        try target.run(UnsafeRawBufferPointer(start: data, count: size))
    } catch {
        fatalError("\(target.name): \(error)")
    }
    return 0
}
