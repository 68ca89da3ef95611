import Foundation
import SentinelFuzzing

#if canImport(Glibc)
    import Glibc
#endif

// sentinel-fuzz TARGET [libFuzzer options] [CORPUS_DIR…]   (built with -DFUZZING: libFuzzer runs TARGET)
// sentinel-fuzz TARGET FILE…                               (a plain build: replays FILEs through TARGET)
// sentinel-fuzz TARGET --write-seeds DIR                   (writes the seeds the target builds in code)
// sentinel-fuzz --list                                     (the targets, one per line)

let usage = "usage: sentinel-fuzz TARGET [libFuzzer options] [CORPUS_DIR…] | TARGET --write-seeds DIR | --list"
let arguments = CommandLine.arguments

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("sentinel-fuzz: \(message)\n".utf8))
    exit(64)
}

guard arguments.count >= 2 else { fail(usage) }
if arguments[1] == "--list" {
    for target in FuzzTarget.all { print("\(target.name)\t\(target.summary)") }
    exit(0)
}
guard let target = FuzzTarget.named(arguments[1]) else {
    fail("no target '\(arguments[1])'; targets: \(FuzzTarget.all.map(\.name).joined(separator: ", "))")
}

if arguments.count == 4 && arguments[2] == "--write-seeds" {
    let directory = URL(fileURLWithPath: arguments[3])
    do {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (index, seed) in target.seeds.enumerated() {
            try Data(seed).write(to: directory.appendingPathComponent("seed-\(index)"))
        }
    } catch {
        fail("cannot write seeds to \(directory.path): \(error)")
    }
    print("\(target.seeds.count) seeds written to \(directory.path)")
    exit(0)
}

selectedTarget = target

#if FUZZING
    /// libFuzzer's driver, for a program with its own `main`: parses libFuzzer's options from argv and calls the
    /// callback for every input. `int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*cb)(const uint8_t *, size_t))`.
    @_silgen_name("LLVMFuzzerRunDriver")
    func runDriver(
        _ argc: UnsafeMutablePointer<Int32>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
    ) -> Int32

    // libFuzzer sees the program name and everything after the target's name.
    var driverArguments: [UnsafeMutablePointer<CChar>?] =
        [CommandLine.unsafeArgv[0]] + (2..<Int(CommandLine.argc)).map { CommandLine.unsafeArgv[$0] } + [nil]
    var driverCount = Int32(driverArguments.count - 1)
    let status = driverArguments.withUnsafeMutableBufferPointer { buffer in
        var pointer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = buffer.baseAddress
        return runDriver(&driverCount, &pointer) { data, size in testOneInput(data, size) }
    }
    exit(status)
#else
    guard arguments.count >= 3 else { fail(usage) }
    var findings = 0
    for path in arguments[2...] {
        guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
        do {
            try target.run(Array(data))
            print("ok       \(path)")
        } catch {
            print("FINDING  \(path): \(error)")
            findings += 1
        }
    }
    exit(findings == 0 ? 0 : 1)
#endif
