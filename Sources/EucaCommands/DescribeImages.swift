import EucaCore

let describeImages = Command(
    "euca-describe-images",
    summary: "show information about images",
    details: "By default only the images your account owns and those it has explicit permission to launch are shown; -a shows all. Each image is shown once, sorted by ID: an IMAGE line (ID, owner/name or manifest location, owner, state, public or private, architecture, type, kernel, ramdisk, platform, root device type, virtualization type, hypervisor), then its BLOCKDEVICEMAPPING and TAG lines.",
    service: .ec2,
    options: [
        Option.flag("-a", "--all", help: "describe all images"),
        Option("-o", "--owner", metavar: "ACCOUNT", type: .nonEmpty,
               help: "describe images owned by an account (repeatable; \"self\" for yours, or an alias such as amazon)",
               repeatable: true, parameter: .numbered("Owner")),
        Option("-x", "--executable-by", metavar: "ACCOUNT", type: .nonEmpty,
               help: "describe images an account has explicit permission to launch (repeatable; \"self\" for yours)",
               repeatable: true, parameter: .numbered("ExecutableBy")),
    ],
    positionals: [
        Positional("IMAGE", arity: .zeroOrMore, help: "limit results to specific images",
                   parameter: .numbered("ImageId")),
    ],
    filters: ["architecture", "block-device-mapping.delete-on-termination",
              "block-device-mapping.device-name", "block-device-mapping.snapshot-id",
              "block-device-mapping.volume-size", "block-device-mapping.volume-type", "description",
              "hypervisor", "image-id", "image-type", "is-public", "kernel-id", "manifest-location",
              "name", "owner-alias", "owner-id", "platform", "product-code", "product-code.type",
              "ramdisk-id", "root-device-name", "root-device-type", "state", "state-reason-code",
              "state-reason-message", "tag-key", "tag-value", "virtualization-type"],
    constraints: [.notWith("all", "image"), .notWith("all", "owner"), .notWith("all", "executable-by")],
    printsResponses: true,
    action: .custom { invocation in try await Images.describe(invocation) })
