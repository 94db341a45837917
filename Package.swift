// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "swift-equilibria",
    products: [
        .library(name: "NormalFormGames", targets: ["NormalFormGames"]),
        .library(name: "GameFormats", targets: ["GameFormats"]),
        .library(name: "LinearProgramming", targets: ["LinearProgramming"]),
        .library(name: "ConvexOptimization", targets: ["ConvexOptimization"]),
        .library(name: "EquilibriumSolvers", targets: ["EquilibriumSolvers"]),
        .library(name: "GameGenerators", targets: ["GameGenerators"]),
        .library(name: "NumPyFiles", targets: ["NumPyFiles"]),
        .library(name: "GameDatasets", targets: ["GameDatasets"]),
        .library(name: "GameVerification", targets: ["GameVerification"]),
        .executable(name: "equilibria", targets: ["equilibria"]),
        // The C ABI the Python package loads (python/): plain pointers and status codes.
        .library(name: "EquilibriaABI", type: .dynamic, targets: ["EquilibriaABI"]),
        .executable(name: "equilibria-campaign", targets: ["equilibria-campaign"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/attaswift/BigInt", from: "6.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
    ],
    targets: [
        // MARK: - C library
        .systemLibrary(name: "CGLPK", path: "Sources/CGLPK", providers: [.apt(["libglpk-dev"])]),
        .systemLibrary(name: "CLBFGSB", path: "Sources/CLBFGSB", providers: [.apt(["liblbfgsb-dev"])]),
        .systemLibrary(name: "CGMP", path: "Sources/CGMP", providers: [.apt(["libgmp-dev"])]),
        .systemLibrary(name: "CZlibSystem", path: "Sources/CZlibSystem", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLAPACK", path: "Sources/CLAPACK", providers: [.apt(["liblapacke-dev", "libopenblas-dev"])]),

        // MARK: - Public API
        .target(name: "NormalFormGames", dependencies: [.product(name: "BigInt", package: "BigInt")]),
        .target(name: "GameFormats", dependencies: ["NormalFormGames"]),
        .target(
            name: "LinearProgramming",
            dependencies: ["CGLPK", "CGMP", "NormalFormGames", "ConvexOptimization", .product(name: "BigInt", package: "BigInt")]),
        .target(name: "ConvexOptimization", dependencies: ["CLBFGSB", "CLAPACK"]),
        .target(
            name: "EquilibriumSolvers",
            dependencies: ["NormalFormGames", "LinearProgramming", "ConvexOptimization", "GameGenerators"]),
        .target(name: "GameGenerators", dependencies: ["NormalFormGames"]),
        // The wording of `equilibria reproduce table5` (the numbers are EquilibriumSolvers').
        .target(name: "TableFiveReport", dependencies: ["NormalFormGames", "EquilibriumSolvers"]),
        // The `.npy`/`.npz` file format, nothing about games.
        .target(name: "NumPyFiles", dependencies: ["CZlibSystem", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .target(
            name: "GameDatasets",
            dependencies: ["NormalFormGames", "GameGenerators", "EquilibriumSolvers", "LinearProgramming", "NumPyFiles"]),
        .target(
            name: "GameVerification",
            dependencies: [
                "NormalFormGames", "EquilibriumSolvers", "NumPyFiles", "GameDatasets", "GameGenerators", "GameFormats",
            ]),
        .executableTarget(
            name: "equilibria",
            dependencies: [
                "NormalFormGames", "GameFormats", "LinearProgramming", "EquilibriumSolvers", "GameGenerators", "NumPyFiles",
                "GameDatasets", "GameVerification", "TableFiveReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        .executableTarget(
            name: "equilibria-campaign",
            dependencies: ["NormalFormGames", "GameFormats", "LinearProgramming", "EquilibriumSolvers", "GameGenerators"],
            path: "Sources/Campaign"),

        // MARK: - C ABI (for Python)
        .target(name: "CEquilibria", path: "Sources/CEquilibria"),
        .target(
            name: "EquilibriaABI",
            dependencies: [
                "CEquilibria", "NormalFormGames", "LinearProgramming", "EquilibriumSolvers", "GameGenerators", "GameDatasets",
                "GameVerification",
            ]),

        // MARK: - Test support (not API)
        .target(name: "_EquilibriaTestSupport", dependencies: ["NormalFormGames"], path: "Tests/_EquilibriaTestSupport"),

        // MARK: - Tests
        .testTarget(name: "NormalFormGamesTests", dependencies: ["NormalFormGames", "_EquilibriaTestSupport"]),
        .testTarget(name: "GameFormatsTests", dependencies: ["GameFormats", "NormalFormGames"]),
        .testTarget(name: "ConvexOptimizationTests", dependencies: ["ConvexOptimization"]),
        .testTarget(name: "LinearProgrammingTests", dependencies: ["LinearProgramming", "NormalFormGames", "_EquilibriaTestSupport"]),
        .testTarget(
            name: "EquilibriumSolversTests",
            dependencies: [
                "EquilibriumSolvers", "LinearProgramming", "NormalFormGames", "TableFiveReport", "GameGenerators",
                "_EquilibriaTestSupport",
            ]),
        .testTarget(name: "GameGeneratorsTests", dependencies: ["GameGenerators", "NormalFormGames", "_EquilibriaTestSupport"]),
        .testTarget(name: "NumPyFilesTests", dependencies: ["NumPyFiles", "_EquilibriaTestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .testTarget(
            name: "GameDatasetsTests",
            dependencies: [
                "GameDatasets", "NumPyFiles", "GameGenerators", "GameFormats", "NormalFormGames", "EquilibriumSolvers",
                "_EquilibriaTestSupport",
            ]),
        .testTarget(name: "CampaignTests", dependencies: ["equilibria-campaign", "NormalFormGames", "_EquilibriaTestSupport"]),
        .testTarget(name: "EquilibriaCLITests", dependencies: ["equilibria", "NormalFormGames", "_EquilibriaTestSupport"]),
        .testTarget(
            name: "GameVerificationTests",
            dependencies: [
                "GameVerification", "NumPyFiles", "GameDatasets", "GameGenerators", "EquilibriumSolvers", "NormalFormGames",
                "equilibria",
                "_EquilibriaTestSupport",
            ]),
    ],
    swiftLanguageModes: [.v6]
)

for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}
