// swift-tools-version:6.1
//
// Sentinel's benchmarks, a package of their own (as swift-nio's Benchmarks/ is), so the product's manifest lists only
// the product. They use the root package's library products; scripts build them with
// `swift build -c release --package-path benchmarks --product …` (binaries in benchmarks/.build/release), and CI
// builds this package in debug with warnings as errors so they cannot rot. Results: RESULTS.md.

import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// A library product of the root package.
func sentinel(_ name: String) -> Target.Dependency {
    .product(name: name, package: "sentinel")
}

let package = Package(
    name: "sentinel-benchmarks",
    dependencies: [
        .package(name: "sentinel", path: "..")
    ],
    targets: [
        .executableTarget(
            name: "monitor-bench",
            dependencies: [
                sentinel("SentinelMonitor"), sentinel("SentinelSchema"), sentinel("SentinelDrift"),
                sentinel("SentinelPosix"), sentinel("SentinelRPC"), sentinel("SentinelWire"), sentinel("SentinelLog"),
            ],
            path: "monitor-bench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "drift-bench",
            dependencies: [sentinel("SentinelDrift"), sentinel("SentinelMetrics")],
            path: "drift-bench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "schema-benchmark",
            dependencies: [sentinel("SentinelSchema"), sentinel("SentinelProtoC")],
            path: "SchemaBenchmark",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "persistence-bench",
            dependencies: [sentinel("SentinelMonitor"), sentinel("SentinelSchema")],
            path: "persistence-bench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "rpc-benchmark",
            dependencies: [
                sentinel("SentinelPosix"), sentinel("SentinelRPC"), sentinel("SentinelWire"),
                sentinel("SentinelLifecycle"),
            ],
            path: "RPCBenchmark",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "reporter-benchmark",
            dependencies: [
                sentinel("SentinelScoring"), sentinel("SentinelMonitor"), sentinel("SentinelSchema"),
                sentinel("SentinelPosix"), sentinel("SentinelRPC"), sentinel("SentinelWire"),
                sentinel("SentinelModel"), sentinel("SentinelData"), sentinel("SentinelLog"),
            ],
            path: "ReporterBenchmark",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "data-benchmark",
            dependencies: [sentinel("SentinelData")],
            path: "DataBenchmark",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "training-benchmark",
            dependencies: [sentinel("SentinelModel"), sentinel("SentinelData")],
            path: "TrainingBenchmark",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "scoring-benchmark",
            dependencies: [sentinel("SentinelModel"), sentinel("SentinelData")],
            path: "ScoringBenchmark",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "import-benchmark",
            dependencies: [sentinel("SentinelModel"), sentinel("SentinelData")],
            path: "ImportBenchmark",
            swiftSettings: swiftSettings
        ),
    ]
)
