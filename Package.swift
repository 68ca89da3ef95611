// swift-tools-version:6.1
//
// Sentinel: fraud scoring and model monitoring.
// No package dependencies: the Swift toolchain plus libprotobuf-c from apt (see Docs/Design.md).

import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "sentinel",
    products: [
        .executable(name: "sentinel", targets: ["sentinel"]),
        .executable(name: "sentinel-api", targets: ["sentinel-api"]),
        .executable(name: "sentinel-monitor", targets: ["sentinel-monitor"]),

        // Libraries, for benchmarks/Package.swift only (a package dependency sees products, not targets): exactly
        // the modules the benchmarks import, no more. They are not a supported API.
        .library(name: "SentinelProtoC", targets: ["SentinelProtoC"]),
        .library(name: "SentinelSchema", targets: ["SentinelSchema"]),
        .library(name: "SentinelWire", targets: ["SentinelWire"]),
        .library(name: "SentinelRPC", targets: ["SentinelRPC"]),
        .library(name: "SentinelPosix", targets: ["SentinelPosix"]),
        .library(name: "SentinelLifecycle", targets: ["SentinelLifecycle"]),
        .library(name: "SentinelLog", targets: ["SentinelLog"]),
        .library(name: "SentinelMetrics", targets: ["SentinelMetrics"]),
        .library(name: "SentinelData", targets: ["SentinelData"]),
        .library(name: "SentinelModel", targets: ["SentinelModel"]),
        .library(name: "SentinelDrift", targets: ["SentinelDrift"]),
        .library(name: "SentinelScoring", targets: ["SentinelScoring"]),
        .library(name: "SentinelMonitor", targets: ["SentinelMonitor"]),
        // The fuzz targets, for fuzz/Package.swift (the libFuzzer driver) and the corpus replay in the tests.
        .library(name: "SentinelFuzzing", targets: ["SentinelFuzzing"]),
    ],
    targets: [
        // MARK: C

        .systemLibrary(
            name: "CProtobufC",
            pkgConfig: "libprotobuf-c",
            providers: [.apt(["libprotobuf-c-dev"])]
        ),
        .target(
            name: "SentinelProtoC",
            dependencies: ["CProtobufC"]
        ),
        // ONNX's schema (Protos/third_party/onnx), for `sentinel model import` of ONNX files.
        .target(
            name: "SentinelONNXC",
            dependencies: ["CProtobufC"]
        ),
        .systemLibrary(name: "CSentinelPosix"),

        // MARK: Libraries

        .target(name: "SentinelArguments", swiftSettings: swiftSettings),
        // `Lock`: Synchronization.Mutex, or with -DSENTINEL_PTHREAD_LOCK (the sanitizer runs) a pthread mutex TSan models.
        .target(name: "SentinelLock", swiftSettings: swiftSettings),
        .target(name: "SentinelLog", dependencies: ["SentinelLock"], swiftSettings: swiftSettings),
        .target(
            name: "SentinelLifecycle", dependencies: ["SentinelLock", "SentinelLog"], swiftSettings: swiftSettings),
        .target(
            name: "SentinelSchema",
            dependencies: ["SentinelProtoC", "CProtobufC", "SentinelRPC", "SentinelWire", "SentinelLog"],
            swiftSettings: swiftSettings),
        .target(name: "SentinelWire", swiftSettings: swiftSettings),
        .target(name: "SentinelRPC", dependencies: ["SentinelLock", "SentinelWire"], swiftSettings: swiftSettings),
        .target(
            name: "SentinelPosix",
            dependencies: [
                "SentinelLock",
                "SentinelRPC", "SentinelWire", "SentinelLifecycle", "SentinelArguments", "SentinelLog",
                "SentinelMetrics",
                "CSentinelPosix",
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "SentinelMetrics", dependencies: ["SentinelLock"], swiftSettings: swiftSettings),
        .target(name: "SentinelData", swiftSettings: swiftSettings),
        .target(name: "SentinelModel", dependencies: ["SentinelData", "SentinelDrift"], swiftSettings: swiftSettings),
        .target(name: "SentinelDrift", swiftSettings: swiftSettings),
        .target(
            name: "SentinelONNX", dependencies: ["SentinelModel", "SentinelONNXC", "CProtobufC"],
            swiftSettings: swiftSettings),
        .target(
            name: "SentinelHTTP",
            dependencies: [
                "SentinelLock", "SentinelPosix", "SentinelRPC", "SentinelLifecycle", "SentinelMetrics",
                "CSentinelPosix",
            ],
            swiftSettings: swiftSettings),
        .target(
            name: "SentinelScoring",
            dependencies: [
                "SentinelLock",
                "SentinelArguments", "SentinelData", "SentinelSchema", "SentinelWire", "SentinelRPC", "SentinelPosix",
                "SentinelHTTP", "SentinelModel", "SentinelDrift", "SentinelMetrics", "SentinelLog", "SentinelLifecycle",
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SentinelMonitor",
            dependencies: [
                "SentinelLock",
                "SentinelArguments", "SentinelSchema", "SentinelWire", "SentinelRPC", "SentinelPosix", "SentinelHTTP",
                "SentinelModel", "SentinelDrift", "SentinelMetrics", "SentinelData", "SentinelLog", "SentinelLifecycle",
            ],
            // The dashboard page, compiled into the binary (`PackageResources.dashboard_html` …): nothing to install.
            resources: [
                .embedInCode("Resources/dashboard.html"),
                .embedInCode("Resources/dashboard.css"),
                .embedInCode("Resources/dashboard.js"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SentinelCLI",
            dependencies: [
                "SentinelArguments", "SentinelData", "SentinelModel", "SentinelDrift", "SentinelSchema",
                "SentinelWire", "SentinelRPC", "SentinelPosix", "SentinelMetrics", "SentinelONNX",
            ],
            swiftSettings: swiftSettings
        ),

        .target(
            name: "SentinelFuzzing",
            dependencies: [
                "SentinelWire", "SentinelSchema", "SentinelHTTP", "SentinelData", "SentinelModel", "SentinelONNX",
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Executables (thin: parse configuration, wire things up, run)

        .executableTarget(name: "sentinel", dependencies: ["SentinelCLI"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "sentinel-api",
            dependencies: ["SentinelArguments", "SentinelScoring"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "sentinel-monitor",
            dependencies: ["SentinelArguments", "SentinelMonitor"],
            swiftSettings: swiftSettings
        ),

        // MARK: Tests

        .target(
            name: "SentinelTestSupport",
            dependencies: [
                "SentinelLock",
                "SentinelCLI", "SentinelRPC", "SentinelWire", "SentinelPosix", "SentinelDrift", "SentinelData",
            ],
            path: "Tests/SentinelTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SentinelHTTPTests",
            dependencies: ["SentinelHTTP", "SentinelPosix", "SentinelRPC", "SentinelTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SentinelScoringTests",
            dependencies: [
                "SentinelLock",
                "SentinelScoring", "SentinelSchema", "SentinelWire", "SentinelRPC", "SentinelPosix", "SentinelModel",
                "SentinelData", "SentinelDrift", "SentinelTestSupport", "SentinelLog", "SentinelMonitor",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SentinelMonitorTests",
            dependencies: [
                "SentinelLock",
                "SentinelMonitor", "SentinelSchema", "SentinelWire", "SentinelRPC", "SentinelPosix", "SentinelHTTP",
                "SentinelModel", "SentinelDrift", "SentinelMetrics", "SentinelTestSupport", "SentinelLog",
                "SentinelData",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "SentinelArgumentsTests", dependencies: ["SentinelArguments"], swiftSettings: swiftSettings),
        .testTarget(name: "SentinelLockTests", dependencies: ["SentinelLock"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SentinelLogTests", dependencies: ["SentinelLock", "SentinelLog"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SentinelLifecycleTests", dependencies: ["SentinelLock", "SentinelLifecycle", "SentinelLog"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "SentinelWireTests", dependencies: ["SentinelWire", "SentinelTestSupport"], exclude: ["Fixtures"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "SentinelRPCTests",
            dependencies: ["SentinelLock", "SentinelRPC", "SentinelWire", "SentinelTestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "SentinelPosixTests",
            dependencies: ["SentinelLock", "SentinelPosix", "SentinelRPC", "SentinelWire", "SentinelTestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "SentinelSchemaTests", dependencies: ["SentinelSchema", "SentinelTestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "SentinelMetricsTests", dependencies: ["SentinelLock", "SentinelMetrics", "SentinelTestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "SentinelDataTests", dependencies: ["SentinelData", "SentinelTestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "SentinelModelTests",
            dependencies: ["SentinelModel", "SentinelData", "SentinelDrift", "SentinelTestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "SentinelONNXTests",
            dependencies: ["SentinelONNX", "SentinelModel", "SentinelData", "SentinelTestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "SentinelDriftTests", dependencies: ["SentinelDrift", "SentinelTestSupport"],
            exclude: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SentinelIntegrationTests",
            dependencies: [
                "SentinelLock",
                "SentinelCLI", "SentinelTestSupport", "SentinelSchema", "SentinelWire", "SentinelRPC", "SentinelPosix",
                "SentinelModel", "SentinelData", "SentinelDrift",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SentinelFuzzingTests", dependencies: ["SentinelFuzzing"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "SentinelCLITests",
            dependencies: [
                "SentinelLock",
                "SentinelCLI", "SentinelTestSupport", "SentinelArguments", "SentinelSchema", "SentinelRPC",
                "SentinelMonitor",
                "SentinelPosix", "SentinelWire", "SentinelScoring", "SentinelModel", "SentinelData", "SentinelLog",
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
