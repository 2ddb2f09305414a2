import EucaCommands
import EucaCore

await CommandLineTool(commands: allCommands).main()
