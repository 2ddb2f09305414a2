import EucaCore

let describeImageAttribute = Command(
    "euca-describe-image-attribute",
    summary: "show information about an attribute of an image",
    details: "Give exactly one attribute. Prints one line per value: launchPermission IMAGE userId|group VALUE, productCodes IMAGE productCode CODE, blockDeviceMapping IMAGE blockDeviceMap DEVICE: SOURCE, or kernel|ramdisk|description IMAGE (empty) VALUE.",
    service: .ec2,
    options: [
        Option.flag("-l", "--launch-permission", help: "show launch permissions"),
        Option.flag("-p", "--product-codes", "--product-code", help: "list associated product codes",
                    key: "product-codes"),
        Option.flag("-B", "--block-device-mapping", help: "describe block device mappings"),
        Option.flag("--kernel", help: "show the associated kernel's ID"),
        Option.flag("--ramdisk", help: "show the associated ramdisk's ID"),
        Option.flag("--description", help: "show the image's description"),
    ],
    positionals: [
        Positional("IMAGE", type: .nonEmpty, help: "ID of the image to describe", parameter: .flat("ImageId")),
    ],
    exclusive: [["launch-permission", "product-codes", "block-device-mapping", "kernel", "ramdisk",
                 "description"]],
    action: .query("DescribeImageAttribute", extraParameters: Images.attributeParameter,
                   printer: .imageAttribute))
