// swift-tools-version:6.0
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
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
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
        .executableTarget(
            name: "helpcenter",
            dependencies: [
                "HelpCenterSite", "HelpCenterContent", "HelpCenterMarkdown", "HelpCenterSearch",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "HelpCenterTestSupport", path: "Tests/HelpCenterTestSupport"),
        .executableTarget(name: "search-benchmark", dependencies: ["HelpCenterSearch"], path: "bench/SearchBenchmark"),
        .testTarget(name: "HelpCenterMarkdownTests", dependencies: ["HelpCenterMarkdown"]),
        .testTarget(name: "HelpCenterContentTests", dependencies: ["HelpCenterContent", "HelpCenterTestSupport"]),
        .testTarget(name: "HelpCenterSearchTests", dependencies: ["HelpCenterSearch", "HelpCenterContent", "HelpCenterTestSupport"]),
        .testTarget(name: "HelpCenterSiteTests", dependencies: ["HelpCenterSite", "HelpCenterContent", "HelpCenterTestSupport"]),
        .testTarget(name: "helpcenterTests", dependencies: ["HelpCenterTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
