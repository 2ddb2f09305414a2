import EucaCore

/// Security groups, volumes, snapshots, addresses, images, tags and account attributes.
let resourceCommands: [Command] = [
    // Security groups
    authorize,
    createGroup,
    deleteGroup,
    describeGroups,
    revoke,
    // Volumes and snapshots
    attachVolume,
    createSnapshot,
    createVolume,
    deleteSnapshot,
    deleteVolume,
    describeSnapshotAttribute,
    describeSnapshots,
    describeVolumes,
    detachVolume,
    modifySnapshotAttribute,
    resetSnapshotAttribute,
    // Addresses
    allocateAddress,
    associateAddress,
    describeAddresses,
    disassociateAddress,
    releaseAddress,
    // Images
    copyImage,
    createImage,
    deregister,
    describeImageAttribute,
    describeImages,
    modifyImageAttribute,
    register,
    resetImageAttribute,
    // Tags and account
    createTags,
    deleteTags,
    describeAccountAttributes,
    describeTags,
]
