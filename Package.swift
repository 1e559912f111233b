// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "HelpCenter",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "helpcenter", targets: ["helpcenter"]),
        .library(name: "HelpCenterMarkdown", targets: ["HelpCenterMarkdown"]),
        .library(name: "HelpCenterContent", targets: ["HelpCenterContent"]),
        .library(name: "HelpCenterSite", targets: ["HelpCenterSite"]),
        .library(name: "HelpCenterSearch", targets: ["HelpCenterSearch"]),
        .library(name: "HelpCenterReset", targets: ["HelpCenterReset"]),
        .library(name: "HelpCenterServer", targets: ["HelpCenterServer"]),
        .library(name: "HelpCenterFeedback", targets: ["HelpCenterFeedback"]),
        .library(name: "HelpCenterImport", targets: ["HelpCenterImport"]),
        .library(name: "HelpCenterForm", targets: ["HelpCenterForm"]),
        .library(name: "HelpCenterDelivery", targets: ["HelpCenterDelivery"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/vapor/sql-kit", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CCmark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"])]
        ),
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CArgon2",
            pkgConfig: "libargon2",
            providers: [.apt(["libargon2-dev"])]
        ),
        .target(name: "HelpCenterMarkdown", dependencies: ["CCmark", "CLibXML2"]),
        .target(
            name: "HelpCenterContent",
            dependencies: ["HelpCenterMarkdown", .product(name: "Yams", package: "Yams")]
        ),
        .target(name: "HelpCenterSearch", dependencies: ["HelpCenterContent", "HelpCenterMarkdown", "CZlib"]),
        .target(
            name: "HelpCenterSite",
            dependencies: [
                "HelpCenterContent", "HelpCenterMarkdown", "HelpCenterSearch",
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Theme")]
        ),
        .target(
            name: "HelpCenterReset",
            dependencies: [
                "CArgon2",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Resources")]
        ),
        .target(name: "HelpCenterForm"),
        .target(
            name: "HelpCenterDelivery",
            dependencies: [
                "HelpCenterReset",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(name: "HelpCenterFeedback", dependencies: [.product(name: "SQLKit", package: "sql-kit")]),
        .target(name: "HelpCenterImport", dependencies: ["HelpCenterContent", .product(name: "Yams", package: "Yams")]),
        .target(
            name: "HelpCenterServer",
            dependencies: [
                "HelpCenterReset", "HelpCenterFeedback", "HelpCenterSearch", "HelpCenterSite", "HelpCenterContent", "HelpCenterForm",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            resources: [.copy("Pages")]
        ),
        .executableTarget(
            name: "helpcenter",
            dependencies: [
                "HelpCenterSite", "HelpCenterContent", "HelpCenterMarkdown", "HelpCenterSearch", "HelpCenterServer", "HelpCenterReset", "HelpCenterFeedback", "HelpCenterImport",
                "HelpCenterDelivery",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(name: "HelpCenterTestSupport", dependencies: [.product(name: "Logging", package: "swift-log")], path: "Tests/HelpCenterTestSupport"),
        .executableTarget(name: "search-benchmark", dependencies: ["HelpCenterSearch"], path: "bench/SearchBenchmark"),
        .testTarget(name: "HelpCenterMarkdownTests", dependencies: ["HelpCenterMarkdown"]),
        .testTarget(name: "HelpCenterImportTests", dependencies: ["HelpCenterImport"]),
        .testTarget(name: "HelpCenterContentTests", dependencies: ["HelpCenterContent", "HelpCenterTestSupport"]),
        .testTarget(name: "HelpCenterSearchTests", dependencies: ["HelpCenterSearch", "HelpCenterContent", "HelpCenterTestSupport"]),
        .testTarget(name: "HelpCenterSiteTests", dependencies: ["HelpCenterSite", "HelpCenterContent", "HelpCenterTestSupport"]),
        .testTarget(
            name: "HelpCenterResetTests",
            dependencies: ["HelpCenterReset", "HelpCenterDelivery", "HelpCenterSite", "HelpCenterTestSupport", .product(name: "SQLiteKit", package: "sqlite-kit")]
        ),
        .testTarget(
            name: "HelpCenterServerTests",
            dependencies: [
                "HelpCenterServer", "HelpCenterReset", "HelpCenterFeedback", "HelpCenterContent", "HelpCenterTestSupport", "HelpCenterDelivery",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "helpcenterTests",
            dependencies: ["HelpCenterTestSupport", "HelpCenterFeedback", .product(name: "SQLiteKit", package: "sqlite-kit")],
            exclude: ["help"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// Our own code builds without a warning: every warning is an error (dependencies are not affected).
for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + [.treatAllWarnings(as: .error)]
}
