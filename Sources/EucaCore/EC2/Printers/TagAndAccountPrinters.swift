extension Printer {
    /// `ACCOUNTATTRIBUTE name`, then `VALUE value` for each of its values.
    public static let accountAttributes = Printer { response in
        response.items("accountAttributeSet").flatMap { attribute in
            [Record("ACCOUNTATTRIBUTE", attribute.value("attributeName"))]
                + attribute.items("attributeValueSet").map { Record("VALUE", $0.value("attributeValue")) }
        }
    }

    /// `TAG type resource key value` for every resource and tag given to euca-create-tags (the
    /// response carries nothing to show).
    public static let createdTags = Printer(withArguments: { _, arguments in
        arguments.strings("resource").flatMap { resource in
            arguments.fields("tag").map { fields in
                Record("TAG", ResourceType.of(resource), resource,
                       fields.first { $0.suffix == "Key" }?.value,
                       fields.first { $0.suffix == "Value" }?.value)
            }
        }
    })
}
