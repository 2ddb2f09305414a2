import EucaCore

/// Image bundling, upload, download and registration.
let bundleCommands: [Command] = [
    bundleImage,
    unbundle,
    unbundleStream,
    uploadBundle,
    downloadBundle,
    downloadAndUnbundle,
    deleteBundle,
    bundleAndUploadImage,
    installImage,
]
