/// Snapshot commands that need more than one request or option.
public enum Snapshots {
    /// euca-describe-snapshots: with no snapshot, -a, -o or -r, lists the snapshots the caller
    /// owns and those it may restore (two requests, merged, each snapshot once); otherwise what
    /// was asked for.
    public static func describe(_ invocation: Invocation) async throws {
        let arguments = invocation.arguments
        let parameters = invocation.boundParameters
        let client = try invocation.ec2()
        var pages: [XML.Element]
        if !["all", "snapshot", "owner", "restorable-by"].contains(where: arguments.isSet) {
            pages = try await client.callAllPages("DescribeSnapshots", parameters + [QueryItem("Owner.1", "self")])
            pages += try await client.callAllPages("DescribeSnapshots", parameters + [QueryItem("RestorableBy.1", "self")])
        } else {
            pages = try await client.callAllPages("DescribeSnapshots", parameters)
        }
        invocation.output(Printer.snapshots(pages), from: pages, pageToken: "nextToken")
    }
}
