// swift-tools-version:6.1
//
// Sentinel's libFuzzer driver, a package of its own (as benchmarks/ is), so the product's build never compiles it.
// One executable runs any target of the root package's SentinelFuzzing library, chosen by its first argument;
// scripts/fuzz builds it with `-sanitize=fuzzer,address -DFUZZING` in .build-fuzz and runs it. Without FUZZING (a
// plain debug build) it replays input files through a target instead. The corpus and the crash inputs live in
// corpus/ and crashes/; the root package's SentinelFuzzingTests replays them in `swift test`.

import PackageDescription

let package = Package(
    name: "sentinel-fuzz",
    dependencies: [
        .package(name: "sentinel", path: "..")
    ],
    targets: [
        .executableTarget(
            name: "sentinel-fuzz",
            dependencies: [.product(name: "SentinelFuzzing", package: "sentinel")],
            path: "sentinel-fuzz",
            swiftSettings: [
                .swiftLanguageMode(.v6),
                .enableUpcomingFeature("InternalImportsByDefault"),
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"),
            ]
        )
    ]
)
