// swift-tools-version:6.0
import PackageDescription

// Benchmarks live in their own package so the main package's tests never time anything.
let package = Package(
    name: "equilibria-benchmarks",
    dependencies: [.package(path: "../")],
    targets: [
        .executableTarget(
            name: "lp-benchmark",
            dependencies: [
                .product(name: "EquilibriumSolvers", package: "main"),
                .product(name: "NormalFormGames", package: "main"),
                .product(name: "LinearProgramming", package: "main"),
            ],
            path: "Sources/lp-benchmark"),
        .executableTarget(
            name: "mwmre-benchmark",
            dependencies: [
                .product(name: "EquilibriumSolvers", package: "main"),
                .product(name: "NormalFormGames", package: "main"),
                .product(name: "GameGenerators", package: "main"),
            ],
            path: "Sources/mwmre-benchmark"),
        .target(name: "CCallgrind", path: "Sources/CCallgrind"),
        .executableTarget(
            name: "bench",
            dependencies: [
                "CCallgrind",
                .product(name: "EquilibriumSolvers", package: "main"),
                .product(name: "NormalFormGames", package: "main"),
                .product(name: "GameGenerators", package: "main"),
                .product(name: "GameDatasets", package: "main"),
            ],
            path: "Sources/bench"),
        .executableTarget(
            name: "generation-benchmark",
            dependencies: [.product(name: "GameGenerators", package: "main")],
            path: "Sources/generation-benchmark"),
    ],
    swiftLanguageModes: [.v6]
)
