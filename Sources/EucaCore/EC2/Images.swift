/// Image commands that need more than one option to decide what to send.
public enum Images {
    /// euca-describe-images: with no image, -a, -o or -x, lists the images the caller owns and
    /// those it may launch (two requests, merged); otherwise what was asked for. Every image is
    /// printed once, sorted by ID.
    public static func describe(_ invocation: Invocation) async throws {
        let arguments = invocation.arguments
        let parameters = invocation.boundParameters
        let client = try invocation.ec2()
        var pages: [XML.Element]
        if !["all", "image", "owner", "executable-by"].contains(where: arguments.isSet) {
            pages = try await client.callAllPages("DescribeImages", parameters + [QueryItem("Owner.1", "self")])
            pages += try await client.callAllPages("DescribeImages", parameters + [QueryItem("ExecutableBy.1", "self")])
        } else {
            pages = try await client.callAllPages("DescribeImages", parameters)
        }
        invocation.output(Printer.images(pages), from: pages, pageToken: "nextToken")
    }

    /// The image name euca2ools 1.x gave an image registered without -n: the manifest's file
    /// name without `.manifest.xml` (`bucket/centos.manifest.xml` → `centos`).
    public static func nameFromManifest(_ location: String) -> String {
        var name = String(location.split(separator: "/", omittingEmptySubsequences: true).last ?? "")
        for suffix in [".manifest.xml", ".xml"] where name.hasSuffix(suffix) && name.count > suffix.count {
            name.removeLast(suffix.count)
            break
        }
        return name
    }

    /// euca-register: an instance-store image from a manifest, or an EBS image from a root
    /// snapshot (--snapshot, or a -b mapping for the root device). Returns the parameters the
    /// options cannot bind on their own: the name derived from the manifest, the root device
    /// name and the root snapshot's mapping.
    public static func registerParameters(_ invocation: Invocation) throws -> [QueryItem] {
        let arguments = invocation.arguments
        var items: [QueryItem] = []
        let mappings = arguments.fields("block-device-mapping")
        if let manifest = arguments.string("manifest") {
            if arguments.isSet("root-device-name") {
                throw UsageError("--root-device-name: not allowed with a manifest (MANIFEST registers an instance-store image)")
            }
            if arguments.isSet("snapshot") {
                throw UsageError("-s/--snapshot: not allowed with a manifest; give one or the other")
            }
            if !arguments.isSet("name") {
                let name = nameFromManifest(manifest)
                guard !name.isEmpty else {
                    throw UsageError("-n/--name is required: no image name can be derived from the manifest location \(quoted(manifest))")
                }
                items.append(QueryItem("Name", name))
            }
            return items
        }
        guard arguments.isSet("name") else {
            throw UsageError("-n/--name is required for an EBS image (or give the location of a manifest, BUCKET/NAME.manifest.xml)")
        }
        let root = arguments.string("root-device-name") ?? "/dev/sda1"
        if !arguments.isSet("root-device-name") { items.append(QueryItem("RootDeviceName", root)) }
        let snapshot = arguments.string("snapshot")
        let rootMapping = mappings.first { $0.contains(Field("DeviceName", root)) }
        if let rootMapping {
            let mapped = rootMapping.first { $0.suffix == "Ebs.SnapshotId" }?.value
            if let snapshot, mapped != snapshot {
                throw UsageError("-s/--snapshot \(snapshot) conflicts with the -b/--block-device-mapping for the root device \(root)")
            }
        } else if let snapshot {
            let index = mappings.count + 1
            items += [QueryItem("BlockDeviceMapping.\(index).DeviceName", root),
                      QueryItem("BlockDeviceMapping.\(index).Ebs.SnapshotId", snapshot)]
        } else {
            throw UsageError("give a manifest location (instance-store image) or a root device snapshot with -s/--snapshot SNAPSHOT or -b \(root)=SNAPSHOT (EBS image)")
        }
        return items
    }

    /// `-a/--add` and `-r/--remove` of the modify-attribute commands: `LIST.Add.N.UserId`, or
    /// `.Group` for the entity `all` (the group of all accounts).
    public static func permissionBinding(_ list: String, _ operation: String) -> ParameterBinding {
        ParameterBinding { occurrences in
            occurrences.compactMap { $0.first?.value }.enumerated().map { index, entity in
                QueryItem("\(list).\(operation).\(index + 1).\(entity == "all" ? "Group" : "UserId")", entity)
            }
        }
    }

    /// What euca-modify-image-attribute and euca-modify-snapshot-attribute print for
    /// permission changes: `LIST ID ADD|REMOVE UserId|Group ENTITY`.
    public static func permissionChangeRecords(_ arguments: ParsedArguments, list: String, id: String?) -> [Record] {
        arguments.strings("add").map { Record(list, id, "ADD", $0 == "all" ? "Group" : "UserId", $0) }
            + arguments.strings("remove").map { Record(list, id, "REMOVE", $0 == "all" ? "Group" : "UserId", $0) }
    }
}
