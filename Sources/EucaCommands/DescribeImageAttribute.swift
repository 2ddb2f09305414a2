import EucaCore

let describeImageAttribute = Command(
    "euca-describe-image-attribute",
    summary: "show information about an attribute of an image",
    details: "Give exactly one attribute. Prints one line per value: launchPermission IMAGE userId|group VALUE, productCodes IMAGE productCode CODE, blockDeviceMapping IMAGE blockDeviceMap DEVICE: SOURCE, or kernel|ramdisk|description IMAGE (empty) VALUE.",
    service: .ec2,
    options: [
        Option.flag("-l", "--launch-permission", help: "show launch permissions",
                    parameter: .constant("Attribute", "launchPermission")),
        Option.flag("-p", "--product-codes", "--product-code", help: "list associated product codes",
                    parameter: .constant("Attribute", "productCodes"), key: "product-codes"),
        Option.flag("-B", "--block-device-mapping", help: "describe block device mappings",
                    parameter: .constant("Attribute", "blockDeviceMapping")),
        Option.flag("--kernel", help: "show the associated kernel's ID",
                    parameter: .constant("Attribute", "kernel")),
        Option.flag("--ramdisk", help: "show the associated ramdisk's ID",
                    parameter: .constant("Attribute", "ramdisk")),
        Option.flag("--description", help: "show the image's description",
                    parameter: .constant("Attribute", "description")),
    ],
    positionals: [
        Positional("IMAGE", type: .nonEmpty, help: "ID of the image to describe", parameter: .flat("ImageId")),
    ],
    constraints: [.exactlyOne(["launch-permission", "product-codes", "block-device-mapping", "kernel", "ramdisk",
                               "description"])],
    action: .query("DescribeImageAttribute",
                   printer: .imageAttribute))
