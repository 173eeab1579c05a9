import DeskgateAuth
import Foundation

AuthServer.main(arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
