// swift-tools-version:6.1
//
// The generator of Sources/SentinelSchema/Generated from Protos/sentinel.proto. A package of its own (not part of
// the root package, no dependencies), built and run by scripts/generate-protos.

import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "schema-generator",
    products: [.executable(name: "schema-generator", targets: ["schema-generator"])],
    targets: [
        .target(name: "SchemaGeneratorCore", swiftSettings: swiftSettings),
        .executableTarget(
            name: "schema-generator", dependencies: ["SchemaGeneratorCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SchemaGeneratorTests", dependencies: ["SchemaGeneratorCore"], swiftSettings: swiftSettings),
    ]
)
