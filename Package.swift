// swift-tools-version:6.0
import PackageDescription

/// Layering (each target only imports the ones above it):
///   SmithJSON        order-preserving JSON, Python-compatible output, CPython `random`
///   SmithStore       LMDB event log + content-addressed blob store (knows nothing of SWE-agent)
///   SmithDomain      the pipeline's event types and payloads
///   SmithReaders     readers of SWE-smith / SWE-agent / SWE-bench artifacts
///   SmithProjections SQLite read side rebuilt from the log
///   SmithDatasets    subset export, SFT transforms, combine
///   SmithIngest      commands' work: artifacts -> events
///   SmithQueries     leaderboard, lineage, compare, history
///   SmithSync        push / pull of the log through a PostgreSQL server (postgres-nio)
///   SmithWeb         the read-only web UI (`smithlog serve`, Hummingbird)
///   SmithSync        push/pull of the log through PostgreSQL (postgres-nio)
///   smithlog         thin CLI
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "smithlog",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "smithlog", targets: ["smithlog"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "5.0.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
    ],
    targets: [
        .systemLibrary(name: "CLMDB", path: "Sources/CLMDB", pkgConfig: "lmdb", providers: [.apt(["liblmdb-dev"])]),
        .systemLibrary(
            name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CZstd", path: "Sources/CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        .systemLibrary(
            name: "CCrypto", path: "Sources/CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),

        .target(name: "SmithJSON", path: "Sources/JSON", swiftSettings: swiftSettings),
        .target(
            name: "SmithStore", dependencies: ["CLMDB", "CZstd", "CCrypto", "SmithJSON"], path: "Sources/Store",
            swiftSettings: swiftSettings),
        .target(
            name: "SmithDomain", dependencies: ["SmithStore", "SmithJSON"], path: "Sources/Domain",
            swiftSettings: swiftSettings),
        .target(
            name: "SmithReaders", dependencies: ["SmithJSON", "Yams"], path: "Sources/Readers",
            swiftSettings: swiftSettings),
        .target(
            name: "SmithProjections", dependencies: ["CSQLite", "SmithStore", "SmithDomain", "SmithJSON"],
            path: "Sources/Projections", swiftSettings: swiftSettings),
        .target(
            name: "SmithDatasets", dependencies: ["SmithJSON", "SmithReaders", "SmithDomain", "SmithStore"],
            path: "Sources/Datasets", swiftSettings: swiftSettings),
        .target(
            name: "SmithIngest",
            dependencies: [
                "SmithStore", "SmithDomain", "SmithReaders", "SmithProjections", "SmithDatasets", "SmithJSON",
                "CMalloc",
            ],
            path: "Sources/Ingest", swiftSettings: swiftSettings),
        .target(
            name: "SmithQueries",
            dependencies: ["SmithProjections", "SmithStore", "SmithDomain", "SmithJSON", "SmithReaders"],
            path: "Sources/Queries", swiftSettings: swiftSettings),
        // The read-only web UI (`smithlog serve`): server-rendered pages over the projections.
        .target(
            name: "SmithWeb",
            dependencies: [
                "SmithStore", "SmithDomain", "SmithProjections", "SmithQueries", "SmithIngest", "SmithJSON",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "Sources/Web", swiftSettings: swiftSettings),
        .target(
            name: "SmithSync",
            dependencies: [
                "SmithStore", "SmithJSON", .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Sources/Sync", swiftSettings: swiftSettings),
        .executableTarget(
            name: "smithlog",
            dependencies: [
                "SmithStore", "SmithDomain", "SmithReaders", "SmithProjections", "SmithDatasets", "SmithIngest",
                "SmithQueries", "SmithJSON", "CMalloc", "SmithWeb", "SmithSync",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/CLI", swiftSettings: swiftSettings),
        .executableTarget(
            name: "smithlog-bench",
            dependencies: [
                "SmithStore", "SmithDomain", "SmithJSON", "SmithReaders", "SmithDatasets", "SmithProjections",
                "SmithIngest", "CLMDB", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/Bench", swiftSettings: swiftSettings),

        // Shared by test targets: a temporary store and typed sample events (not part of any product).
        .target(
            name: "SmithTestSupport", dependencies: ["SmithDomain", "SmithStore", "SmithJSON"],
            path: "Tests/SmithTestSupport", swiftSettings: swiftSettings),

        .testTarget(name: "SmithJSONTests", dependencies: ["SmithJSON"], resources: [.copy("Golden")]),
        .testTarget(
            name: "SmithDomainTests", dependencies: ["SmithTestSupport", "SmithDomain", "SmithStore", "SmithJSON"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "SmithStoreTests", dependencies: ["SmithStore", "SmithJSON", "smithlog-bench"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "SmithReadersTests", dependencies: ["SmithReaders", "SmithJSON"]),
        .testTarget(
            name: "SmithDatasetsTests", dependencies: ["SmithDatasets", "SmithReaders", "SmithJSON"],
            resources: [.copy("Golden")]),
        .testTarget(name: "SmithProjectionsTests", dependencies: ["SmithProjections", "SmithStore", "SmithDomain"]),
        .testTarget(
            name: "SmithQueriesTests",
            dependencies: [
                "SmithQueries", "SmithReaders", "SmithProjections", "SmithStore", "SmithDomain", "SmithJSON",
                "SmithTestSupport",
            ]),
        .testTarget(
            name: "SmithWebTests",
            dependencies: [
                "SmithWeb", "SmithTestSupport", "SmithIngest", "SmithReaders", "SmithDatasets", "SmithStore",
                "SmithDomain", "SmithJSON",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "SmithCLITests", dependencies: ["SmithJSON", "SmithStore", "SmithTestSupport", "smithlog"],
            exclude: ["Golden", "Fixtures"]),
    ]
)
