// swift-tools-version: 6.1
import Foundation
import PackageDescription

/// libtorch comes from PyPI's `torch` wheel inside `.venv` (see DESIGN.md); `TORCH_DIR` overrides.
let torchDir: String = {
    if let dir = Context.environment["TORCH_DIR"], !dir.isEmpty { return dir }
    let lib = Context.packageDirectory + "/.venv/lib"
    let pythons = (try? FileManager.default.contentsOfDirectory(atPath: lib)) ?? []
    let python = pythons.filter { $0.hasPrefix("python3") }.sorted().last ?? "python3.11"
    return "\(lib)/\(python)/site-packages/torch"
}()
/// Set by `make` when the machine has an NVIDIA GPU and the CUDA wheels are installed.
let withCUDA = Context.environment["LIVETRAIN_CUDA"] == "1"

let torchLinker: [LinkerSetting] = [
    .unsafeFlags(["-L\(torchDir)/lib", "-Xlinker", "-rpath", "-Xlinker", "\(torchDir)/lib"]),
    .linkedLibrary("c10"),
    .linkedLibrary("torch_cpu"),
] + (withCUDA ? [.unsafeFlags(["-Xlinker", "--no-as-needed", "-ltorch_cuda", "-lc10_cuda", "-Xlinker", "--as-needed"])] : [])

let package = Package(
    name: "livetrain",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "livetrain", targets: ["livetrain"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // 3.x or 4.x: Hummingbird's own dependencies already resolve swift-crypto, so one copy serves both.
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        .target(
            name: "CTorch",
            cxxSettings: [
                .unsafeFlags([
                    "-std=c++20", "-O2",
                    "-isystem", "\(torchDir)/include",
                    "-isystem", "\(torchDir)/include/torch/csrc/api/include",
                ] + (withCUDA ? ["-DCTORCH_CUDA=1"] : [])),
            ],
            linkerSettings: torchLinker
        ),
        .target(name: "Torch", dependencies: ["CTorch"]),
        .target(
            name: "CImageCodecs",
            linkerSettings: [.linkedLibrary("jpeg"), .linkedLibrary("png")]
        ),
        .target(name: "Vision", dependencies: ["CImageCodecs"]),
        // Password hashing (argon2id) for accounts: Debian's libargon2-dev, the reference implementation.
        .systemLibrary(name: "CArgon2", pkgConfig: "libargon2", providers: [.apt(["libargon2-dev"])]),
        // Export ZIPs written as a stream (each entry once, the central directory once): Debian's libarchive-dev.
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        .target(name: "Formats", dependencies: ["Vision"]),
        .target(name: "Simulation"),
        .target(name: "Models", dependencies: ["Torch", "Vision", "Formats"]),
        .target(name: "LiveTraining", dependencies: ["Models", "Torch", "Vision", .product(name: "Logging", package: "swift-log")]),
        .target(name: "Replay", dependencies: ["LiveTraining", "Models", "Vision", "Torch", "Simulation"]),
        .target(
            name: "Store",
            dependencies: ["Vision", "Formats", "CArgon2", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "Server",
            dependencies: [
                "LiveTraining", "Store", "Models", "Vision", "Formats", "Simulation",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                "CArchive",
            ],
            resources: [.copy("Web")]
        ),
        .executableTarget(
            name: "livetrain",
            dependencies: [
                "Server", "Replay", "LiveTraining", "Store", "Formats", "Models", "Vision", "Torch", "Simulation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // Shared by the test targets: paths to assets/ and ../shared/datasets, temporary folders (Foundation only,
        // so Vision's and Formats' tests still build without libtorch), and the loopback-server set-up.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .target(
            name: "ServerTestSupport",
            dependencies: [
                "Server", "Store", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            path: "Tests/ServerTestSupport"
        ),
        .testTarget(name: "TorchTests", dependencies: ["Torch", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "VisionTests", dependencies: ["Vision", "TestSupport"]),
        .testTarget(name: "FormatsTests", dependencies: ["Formats", "Vision"]),
        .testTarget(name: "SimulationTests", dependencies: ["Simulation", "TestSupport"]),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "Vision", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "LiveTrainingTests", dependencies: ["LiveTraining", "Models", "Vision", "Torch", "TestSupport"]),
        .testTarget(
            name: "StoreTests",
            dependencies: ["Store", "Formats", "Vision", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "ReplayTests", dependencies: ["Replay", "Models", "Simulation", "TestSupport"]),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "Store", "Formats", "LiveTraining", "Models", "Vision", "TestSupport", "ServerTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ],
    cxxLanguageStandard: .cxx20
)
