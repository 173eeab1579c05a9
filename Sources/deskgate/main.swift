import DeskgateCLI
import DeskgateSystem
import Foundation

StandardIO.lineBuffer()
exit(CLI.run(arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment,
             terminal: .standard()))
