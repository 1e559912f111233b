// swift-tools-version:6.2
// libFuzzer harnesses over the help center's input paths (issue 23, "Fuzzing, as a habit").
// A package of its own so that `swift build` and `make test` at the root never build them: they only
// link with the fuzzer sanitizer, which `make fuzz` turns on for the whole graph (our libraries are
// instrumented too), e.g.
//   swift build -c release --sanitize fuzzer --sanitize address --product FuzzMarkdown
import Foundation
import PackageDescription

// SwiftPM names a path dependency after its folder, lowercased (its identity); the clone may be named anything.
let root = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().lastPathComponent.lowercased()

let harnesses: [(name: String, dependencies: [String])] = [
    ("FuzzFrontMatter", ["HelpCenterContent"]),
    ("FuzzMarkdown", ["HelpCenterMarkdown"]),
    ("FuzzLinks", ["HelpCenterContent"]),
    ("FuzzSearch", ["HelpCenterSearch"]),
    ("FuzzForm", ["HelpCenterForm"]),
    ("FuzzImport", ["HelpCenterImport"]),
    ("FuzzServerConfig", ["HelpCenterContent"]),
]

let package = Package(
    name: "HelpCenterFuzz",
    products: harnesses.map { .executable(name: $0.name, targets: [$0.name]) },
    dependencies: [.package(path: "..")],
    targets: harnesses.map { harness in
        .executableTarget(
            name: harness.name,
            dependencies: harness.dependencies.map { .product(name: $0, package: root) },
            // The file is main.swift but holds no top-level code: libFuzzer's main calls LLVMFuzzerTestOneInput.
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        )
    },
    swiftLanguageModes: [.v6]
)
