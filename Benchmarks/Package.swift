// swift-tools-version:6.0
import PackageDescription

// Benchmarks live in their own package so the main package's tests never time anything. The root
// package is named by its manifest name, not its folder, so a checkout in any folder builds.
let package = Package(
    name: "equilibria-benchmarks",
    dependencies: [.package(name: "swift-equilibria", path: "../")],
    targets: [
        .executableTarget(
            name: "lp-benchmark",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "EquilibriumSolvers", package: "swift-equilibria"),
                .product(name: "NormalFormGames", package: "swift-equilibria"),
                .product(name: "LinearProgramming", package: "swift-equilibria"),
            ],
            path: "Sources/lp-benchmark"),
        .executableTarget(
            name: "mwmre-benchmark",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "EquilibriumSolvers", package: "swift-equilibria"),
                .product(name: "NormalFormGames", package: "swift-equilibria"),
                .product(name: "GameGenerators", package: "swift-equilibria"),
                .product(name: "NumPyFiles", package: "swift-equilibria"),
            ],
            path: "Sources/mwmre-benchmark"),
        .target(name: "CCallgrind", path: "Sources/CCallgrind"),
        .target(name: "BenchmarkSupport", path: "Sources/BenchmarkSupport"),
        .executableTarget(
            name: "bench",
            dependencies: [
                "BenchmarkSupport",
                "CCallgrind",
                .product(name: "EquilibriumSolvers", package: "swift-equilibria"),
                .product(name: "NormalFormGames", package: "swift-equilibria"),
                .product(name: "GameGenerators", package: "swift-equilibria"),
                .product(name: "NumPyFiles", package: "swift-equilibria"),
            ],
            path: "Sources/bench"),
        .executableTarget(
            name: "certify-benchmark",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "EquilibriumSolvers", package: "swift-equilibria"),
                .product(name: "NormalFormGames", package: "swift-equilibria"),
                .product(name: "GameGenerators", package: "swift-equilibria"),
            ],
            path: "Sources/certify-benchmark"),
        .executableTarget(
            name: "exact-benchmark",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "EquilibriumSolvers", package: "swift-equilibria"),
                .product(name: "NormalFormGames", package: "swift-equilibria"),
                .product(name: "LinearProgramming", package: "swift-equilibria"),
                .product(name: "GameGenerators", package: "swift-equilibria"),
                .product(name: "GameFormats", package: "swift-equilibria"),
            ],
            path: "Sources/exact-benchmark"),
        .executableTarget(
            name: "generation-benchmark",
            dependencies: [.product(name: "GameGenerators", package: "swift-equilibria")],
            path: "Sources/generation-benchmark"),
    ],
    swiftLanguageModes: [.v6]
)
