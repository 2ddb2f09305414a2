import EucaCore

/// Image bundling, upload, download and registration.
let bundleCommands: [CommandEntry] = [
    .init("euca-bundle-image") { bundleImage },
    .init("euca-unbundle") { unbundle },
    .init("euca-unbundle-stream") { unbundleStream },
    .init("euca-upload-bundle") { uploadBundle },
    .init("euca-download-bundle") { downloadBundle },
    .init("euca-download-and-unbundle") { downloadAndUnbundle },
    .init("euca-delete-bundle") { deleteBundle },
    .init("euca-bundle-and-upload-image") { bundleAndUploadImage },
    .init("euca-install-image") { installImage },
]
