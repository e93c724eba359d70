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
        .target(name: "Simulation"),
        .target(name: "Models", dependencies: ["Torch", "Vision"]),
        .executableTarget(
            name: "livetrain",
            dependencies: ["Models", "Vision", "Torch", "Simulation", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "TorchTests", dependencies: ["Torch"], resources: [.copy("Fixtures")]),
        .testTarget(name: "VisionTests", dependencies: ["Vision"]),
        .testTarget(name: "SimulationTests", dependencies: ["Simulation"]),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "Vision"], resources: [.copy("Fixtures")]),
    ],
    cxxLanguageStandard: .cxx20
)
