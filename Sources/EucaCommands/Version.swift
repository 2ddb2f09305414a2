import EucaCore

let version = Command(
    "euca-version",
    summary: "show the version of euca2ools-swift",
    service: nil,
    action: .custom { _ in StandardStream.output.writeLine(CommandLineTool.versionLine) })
