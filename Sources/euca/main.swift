import EucaCommands
import EucaCore

await CommandLineTool(commandRegistry).main()
