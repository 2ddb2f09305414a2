extension Printer {
    /// `KEYPAIR name fingerprint` for each key pair of a DescribeKeyPairs response.
    public static let keyPairs = Printer { response in
        response.items("keySet").map { Record("KEYPAIR", $0.value("keyName"), $0.value("keyFingerprint")) }
    }

    /// `KEYPAIR name fingerprint` for the single key pair of a CreateKeyPair/ImportKeyPair response.
    public static let keyPair = Printer { response in
        [Record("KEYPAIR", response.value("keyName"), response.value("keyFingerprint"))]
    }
}

extension Printer {
    /// For actions whose response carries nothing to show: the record tag and the name the
    /// user gave (`euca-delete-keypair mykey` prints `KEYPAIR\tmykey`, as euca2ools does).
    public static func echo(_ tag: String, argument: String) -> Printer {
        Printer(withArguments: { _, arguments in
            arguments.strings(argument).map { Record(tag, $0) }
        })
    }
}
