// Generates Sources/SentinelSchema/Generated from Protos/sentinel.proto (scripts/generate-protos runs it).
//
//   schema-generator PROTO-FILE OUTPUT-DIRECTORY
//
// Writes one Swift file per top-level message or enum into OUTPUT-DIRECTORY (created when missing; files of the
// same name are replaced, nothing else is touched). Exits 1, naming the line, on anything in the .proto file it
// does not understand, and 64 on a usage error.

import Foundation
import SchemaGeneratorCore

let arguments = CommandLine.arguments.dropFirst()
guard arguments.count == 2, let protoPath = arguments.first, let outputPath = arguments.last else {
    FileHandle.standardError.write(Data("usage: schema-generator PROTO-FILE OUTPUT-DIRECTORY\n".utf8))
    exit(64)
}

do {
    let source = try String(contentsOfFile: protoPath, encoding: .utf8)
    let files = try SwiftEmitter(ProtoParser.parse(source)).files()
    try FileManager.default.createDirectory(atPath: outputPath, withIntermediateDirectories: true)
    for (name, text) in files.sorted(by: { $0.key < $1.key }) {
        try Data(text.utf8).write(to: URL(fileURLWithPath: outputPath).appendingPathComponent(name))
    }
} catch let error as GeneratorError {
    FileHandle.standardError.write(Data("schema-generator: \(protoPath): \(error)\n".utf8))
    exit(1)
} catch {
    FileHandle.standardError.write(Data("schema-generator: \(error)\n".utf8))
    exit(1)
}
