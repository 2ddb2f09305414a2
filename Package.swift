// swift-tools-version:6.0
import PackageDescription

// One executable (`euca`) that dispatches on the name it was started under; the commands are
// declarations in EucaCommands, and everything they share lives in EucaCore. C libraries are
// reached only through the system-library shims and never leave EucaCore.
let package = Package(
    name: "euca2ools-swift",
    products: [
        .executable(name: "euca", targets: ["euca"]),
    ],
    targets: [
        .systemLibrary(
            name: "CLibCrypto", path: "Sources/CLibCrypto", pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]),
        .systemLibrary(
            name: "CLibSSL", path: "Sources/CLibSSL", pkgConfig: "libssl",
            providers: [.apt(["libssl-dev"])]),
        .systemLibrary(
            name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),
        .target(name: "EucaCore", dependencies: ["CLibCrypto", "CLibSSL", "CZlib"]),
        .target(name: "EucaCommands", dependencies: ["EucaCore"]),
        .executableTarget(name: "euca", dependencies: ["EucaCommands", "EucaCore"]),
        .testTarget(
            name: "EucaCoreTests", dependencies: ["EucaCore", "EucaCommands"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "EndToEndTests", dependencies: ["euca", "EucaCore"],
            resources: [.copy("Fixtures")]),
    ]
)
