import EucaCore

/// Security groups, volumes, snapshots, addresses, images, tags and account attributes.
let resourceCommands: [CommandEntry] = [
    // Security groups
    .init("euca-authorize") { authorize },
    .init("euca-create-group", aliases: ["euca-add-group"]) { createGroup },
    .init("euca-delete-group") { deleteGroup },
    .init("euca-describe-groups") { describeGroups },
    .init("euca-revoke") { revoke },
    // Volumes and snapshots
    .init("euca-attach-volume") { attachVolume },
    .init("euca-create-snapshot") { createSnapshot },
    .init("euca-create-volume") { createVolume },
    .init("euca-delete-snapshot") { deleteSnapshot },
    .init("euca-delete-volume") { deleteVolume },
    .init("euca-describe-snapshot-attribute") { describeSnapshotAttribute },
    .init("euca-describe-snapshots") { describeSnapshots },
    .init("euca-describe-volumes") { describeVolumes },
    .init("euca-detach-volume") { detachVolume },
    .init("euca-modify-snapshot-attribute") { modifySnapshotAttribute },
    .init("euca-reset-snapshot-attribute") { resetSnapshotAttribute },
    // Addresses
    .init("euca-allocate-address") { allocateAddress },
    .init("euca-associate-address") { associateAddress },
    .init("euca-describe-addresses") { describeAddresses },
    .init("euca-disassociate-address") { disassociateAddress },
    .init("euca-release-address") { releaseAddress },
    // Images
    .init("euca-copy-image") { copyImage },
    .init("euca-create-image") { createImage },
    .init("euca-deregister") { deregister },
    .init("euca-describe-image-attribute") { describeImageAttribute },
    .init("euca-describe-images") { describeImages },
    .init("euca-modify-image-attribute") { modifyImageAttribute },
    .init("euca-register") { register },
    .init("euca-reset-image-attribute") { resetImageAttribute },
    // Tags and account
    .init("euca-create-tags") { createTags },
    .init("euca-delete-tags") { deleteTags },
    .init("euca-describe-account-attributes") { describeAccountAttributes },
    .init("euca-describe-tags") { describeTags },
]
